/**
 * A small team's access across Slack Enterprise, JumpCloud and Elastic Cloud, declared as data: who holds
 * which roles in each app. Every (person, app, workspace or organization) becomes one RoleAssignment.
 *
 * The ids are the sandbox's seed directory (`npm run sandbox`), so the stack runs against it unchanged.
 * For your own apps, set the integrated account ids (`pulumi config set slackAccountId <uuid>`, ...) and
 * put your people's user ids and your role ids below.
 */
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment, type RoleAssignmentArgs } from "pulumi-truto-access";

const config = new pulumi.Config();

// Truto integrated accounts, one per connected app; the defaults are the sandbox seed's.
const accounts = {
  slack: config.get("slackAccountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01",
  jumpcloud: config.get("jumpcloudAccountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02",
  elastic: config.get("elasticAccountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03",
};

// Each app's roles (the vendor's id → a label people read) and where roles are scoped.
const slackRoles = {
  Rl0A: "Channel Manager",
  Rl01: "Channel Admin",
  Rl02: "Role Admin",
  Rl03: "User Admin",
  Rl0C: "Audit Logs Admin",
  Rl0D: "Integrations Manager",
  Rl0J: "Security Admin",
} as const;
const jumpcloudRoles = {
  administrator: "Administrator",
  manager: "Manager",
  "help-desk": "Help Desk",
  "read-only": "Read Only",
  "command-runner": "Command Runner",
} as const;
const elasticRoles = {
  "organization-admin": "Organization owner",
  "billing-admin": "Billing admin",
  "deployment-admin": "Admin",
  "deployment-editor": "Editor",
  "deployment-viewer": "Viewer",
} as const;
const slackWorkspaces = { platform: "T0PLATFORM", sales: "T0SALES" } as const;
const elasticOrganizations = { production: "4201839311", staging: "4201839312" } as const;

type SlackRole = keyof typeof slackRoles;

/** What one person holds: Slack roles per workspace, JumpCloud roles, Elastic Cloud roles per organization. */
interface Access {
  slack?: Partial<Record<keyof typeof slackWorkspaces, SlackRole[]>>;
  jumpcloud?: (keyof typeof jumpcloudRoles)[];
  elastic?: Partial<Record<keyof typeof elasticOrganizations, (keyof typeof elasticRoles)[]>>;
}

// Each person's user id in each app, from the app's own directory.
const people = {
  alice: { slack: "U01ALICE", jumpcloud: "64a1f0c2e4b0a1a1a1a1a001", elastic: "1183940201" },
  bob: { slack: "U02BOB", jumpcloud: "64a1f0c2e4b0a1a1a1a1a002", elastic: "1183940202" },
  carol: { slack: "U03CAROL", jumpcloud: "64a1f0c2e4b0a1a1a1a1a003", elastic: "1183940203" },
  dan: { slack: "U04DAN", jumpcloud: "64a1f0c2e4b0a1a1a1a1a004", elastic: "1183940204" },
} as const;

/** A Slack role id from stack config, refused by name if the catalogue above does not have it. */
function slackRoleFromConfig(key: string, fallback: SlackRole): SlackRole {
  const id = config.get(key) ?? fallback;
  if (Object.prototype.hasOwnProperty.call(slackRoles, id)) return id as SlackRole;
  throw new Error(
    `Stack config ${pulumi.getProject()}:${key} must be a Slack role id (${Object.keys(slackRoles).join(", ")}), not "${id}".`,
  );
}

// Bob's Slack role is a config knob, so a role change is one `pulumi config set bobSlackRole Rl0J`.
const bobSlackRole = slackRoleFromConfig("bobSlackRole", "Rl03");

/** Who holds what. Edit this map in a pull request; the review comment lists the access it changes. */
const team: Record<keyof typeof people, Access> = {
  alice: { slack: { platform: ["Rl0A", "Rl02"] }, jumpcloud: ["administrator"], elastic: { production: ["organization-admin"] } },
  bob: { slack: { platform: [bobSlackRole] }, jumpcloud: ["read-only", "help-desk"] },
  carol: { jumpcloud: ["manager"], elastic: { staging: ["deployment-viewer", "deployment-editor"] } },
  dan: { slack: { sales: ["Rl0C"] }, elastic: { production: ["deployment-viewer"], staging: ["deployment-admin"] } },
};

function entries<K extends string, V>(record: Partial<Record<K, V>> | undefined): [K, V][] {
  return Object.entries(record ?? {}) as [K, V][];
}

const assignments: Record<string, RoleAssignment> = {};
// "restore": destroying the stack revokes what it granted and leaves the roles people held before it existed.
const assign = (name: string, args: RoleAssignmentArgs) => (assignments[name] = new RoleAssignment(name, { ...args, onDelete: "restore" }));

for (const [person, access] of entries(team)) {
  const user = people[person];
  for (const [workspace, roles] of entries(access.slack)) {
    assign(`${person}-slack-${workspace}`, {
      integratedAccountId: accounts.slack,
      integration: "slackenterprise",
      userId: user.slack,
      workspaceId: slackWorkspaces[workspace],
      roles: roles.map((id) => ({ id, name: slackRoles[id] })),
    });
  }
  if (access.jumpcloud) {
    assign(`${person}-jumpcloud`, {
      integratedAccountId: accounts.jumpcloud,
      integration: "jumpcloud",
      userId: user.jumpcloud,
      roles: access.jumpcloud.map((id) => ({ id, name: jumpcloudRoles[id] })),
    });
  }
  for (const [organization, roles] of entries(access.elastic)) {
    assign(`${person}-elastic-${organization}`, {
      integratedAccountId: accounts.elastic,
      integration: "elasticcloud",
      userId: user.elastic,
      organizations: [{ id: elasticOrganizations[organization] }],
      roles: roles.map((id) => ({ id, name: elasticRoles[id] })),
    });
  }
}

/** Who holds what after the last `pulumi up`: resource name → the role labels the app confirmed. */
export const whoHoldsWhat = Object.fromEntries(
  Object.entries(assignments).map(([name, assignment]) => [
    name,
    assignment.heldRoles.apply((roles) => (roles ?? []).map((r) => r.name ?? r.id)),
  ]),
);
