/**
 * The vendor roles this package knows, per integration, as data: each role id, the vendor's own name for
 * it, and whether granting it deserves a second look in review.
 *
 * Why a table: Slack's role ids are opaque (`Rl0J` is Security Admin), and a role's `name` input is free
 * text the program declares, so neither says what a role grants. Only the id does, and only a table of
 * ids can read it.
 *
 * Sources: Slack's role id table for `admin.roles.addAssignments` (api.slack.com); Elastic Cloud's
 * organization roles (elastic.co, "ec-stack-user-org-member": Organization owner and Admin map to the
 * stack's superuser); JumpCloud's admin portal roles (jumpcloud.com/support/admin-portal-roles). For
 * BlackLine, CrowdStrike and TeamViewer no vendor table was gathered; their rows are the role ids the
 * sandbox seeds. The sandbox keeps its own copy on purpose (it is a separate model and never imports
 * this directory); a unit test checks the two agree.
 */
import type { IntegrationSlug } from "./rules";

/** One vendor role as the review knows it. */
export interface KnownRole {
  /** The vendor's name for the role, as its admin console shows it. */
  readonly name: string;
  /** True when holding the role lets its holder change other people's access, data or devices, or see what others cannot. */
  readonly privileged: boolean;
}

type RoleTable = Readonly<Record<string, KnownRole>>;

const yes = (name: string): KnownRole => ({ name, privileged: true });
const no = (name: string): KnownRole => ({ name, privileged: false });

/** The roles of each integration, keyed by the vendor's role id. */
export const KNOWN_ROLES: Readonly<Record<IntegrationSlug, RoleTable>> = {
  // Every Slack admin role administers something org-wide. `Rl04` is left out: the copies of Slack's
  // table that were read disagree on its name (Legal Holds Admin, Compliance Admin).
  slackenterprise: {
    Rl01: yes("Channel Admin"),
    Rl02: yes("Role Admin"),
    Rl03: yes("User Admin"),
    Rl05: yes("Conversation Admin"),
    Rl09: yes("DLP Admin"),
    Rl0A: no("Channel Manager"),
    Rl0B: no("Slack Platform Developer"),
    Rl0C: yes("Audit Logs Admin"),
    Rl0D: yes("Integrations Manager"),
    Rl0F: yes("Exports Admin"),
    Rl0G: yes("Sales Admin"),
    Rl0J: yes("Security Admin"),
    Rl0K: yes("Workflow Admin"),
    Rl0L: yes("Analytics Admin"),
  },
  // JumpCloud's roles are administrator roles: all but Read Only change users or run code on devices.
  jumpcloud: {
    administrator: yes("Administrator"),
    manager: yes("Manager"),
    "help-desk": yes("Help Desk"),
    "read-only": no("Read Only"),
    "command-runner": yes("Command Runner"),
  },
  elasticcloud: {
    "organization-admin": yes("Organization owner"),
    "billing-admin": yes("Billing admin"),
    "deployment-admin": yes("Admin"),
    "deployment-editor": no("Editor"),
    "deployment-viewer": no("Viewer"),
  },
  blackline: {
    "bl-system-admin": yes("System Administrator"),
    "bl-preparer": no("Preparer"),
    "bl-reviewer": no("Reviewer"),
    "bl-approver": no("Approver"),
  },
  crowdstrike: {
    falconhost_admin: yes("Falcon Administrator"),
    falconhost_analyst: no("Falcon Analyst"),
    falconhost_read_only: no("Falcon Read Only"),
  },
  teamviewer: {
    "tv-role-admin": yes("Administrator"),
    "tv-role-member": no("Member"),
    "tv-role-support": no("Support Agent"),
  },
};

/** The role table of `integration`, or `undefined` for a slug this package does not know. */
export function roleTableOf(integration: string): RoleTable | undefined {
  return Object.hasOwn(KNOWN_ROLES, integration) ? KNOWN_ROLES[integration as IntegrationSlug] : undefined;
}

/** The known role `id` of `integration`; own keys only, so an id such as `constructor` is never found. */
export function knownRole(integration: string, id: string): KnownRole | undefined {
  const table = roleTableOf(integration);
  return table && Object.hasOwn(table, id) ? table[id] : undefined;
}
