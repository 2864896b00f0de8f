/**
 * What each integration expects from Truto's role-assignment methods, as data.
 *
 * The first three rows reproduce the per-integration table of Truto's `unassign-role` reference page
 * (https://truto.one/docs/api-reference/unified-user-directory-api/users/unassign-role): which field goes
 * in the query string or the JSON body, and whether it is required or only supported. Everything else in
 * this package reads this table; no other module branches on an integration's name.
 */

/** A field of `assign-role` / `unassign-role` that identifies what to change. */
export type RequestField = "id" | "roles" | "workspace_id" | "organizations";

/** A role field that scopes a grant: the group, organization or workspace the role is held in. */
export type RoleScopeField = "group" | "organization" | "workspace";

/** Every role scope field, in the order messages list them. */
export const ROLE_SCOPE_FIELDS: readonly RoleScopeField[] = ["group", "organization", "workspace"];

/** How a field is documented for one integration in one location. */
export type Need = "required" | "supported";

/**
 * Which page says where a field goes for one integration, or `inferred` where none does:
 * - `unassign-role`: the current reference page (the seed), https://truto.one/docs/api-reference/unified-user-directory-api/users/unassign-role;
 * - `unassign_role (older)` / `assign_role (older)`: the pages Truto published before the methods were
 *   renamed, .../users/unassign_role and .../users/assign_role (truto-api-notes.md §1.2, §1.3).
 */
export type Source = "unassign-role" | "unassign_role (older)" | "assign_role (older)" | "inferred";

/** The page behind each field a placement sends, for one method. */
export type Sources = Readonly<Partial<Record<RequestField, Source>>>;

/** Where each field may go, per location, as Truto documents it for one integration. */
export interface Placement {
  readonly query: Readonly<Partial<Record<RequestField, Need>>>;
  readonly body: Readonly<Partial<Record<RequestField, Need>>>;
}

/** The slugs this package knows; Truto documents `unassign-role` for exactly these six. */
export const INTEGRATIONS = ["elasticcloud", "slackenterprise", "jumpcloud", "blackline", "crowdstrike", "teamviewer"] as const;

/** An integration slug from {@link INTEGRATIONS}. */
export type IntegrationSlug = (typeof INTEGRATIONS)[number];

/** Everything the client and provider need to know about one integration. */
export interface IntegrationRule {
  readonly slug: IntegrationSlug;
  readonly displayName: string;
  /** `seed`: the rows come from Truto's unassign-role page; `generic`: supported there, field rules not published. */
  readonly documented: "seed" | "generic";
  readonly unassignRole: Placement;
  /** Truto's current `assign-role` page is unknown, so identifying fields go in both places (inferred). */
  readonly assignRole: Placement;
  readonly assignRoleInferred: true;
  /** For each method, the page each field's placement comes from (README's per-integration table shows them). */
  readonly sources: { readonly unassignRole: Sources; readonly assignRole: Sources };
  /** `one`: the vendor call takes a single role, so N roles mean N requests. */
  readonly rolesPerRequest: "one" | "many";
  /** `listed-roles`: unassign revokes the roles sent; `whole-scope`: it revokes every role in the scope sent. */
  readonly revokes: "listed-roles" | "whole-scope";
  /** Which dimension a held role is scoped by, filled from the resource's `workspaceId` or `organizations`. */
  readonly roleScope: "workspace" | "organization" | "none";
  /** How an assignment is read back: the user's `roles`, or the `role_assignments` list of a workspace. */
  readonly readBack: "user-roles" | "role-assignments";
  /**
   * The role scope fields the read-back reports, so a grant or a revoke in them can be confirmed. `check`
   * refuses a role that sets any other scope field: matching a held role on a field the read-back never
   * shows would turn "still held?" into "never held", so a revoke that did nothing would pass as done.
   * Comparing without the field is the other choice, and is refused here for every row: a grant "in
   * group g" would then be confirmed by the same role held anywhere else, and its revoke would be judged
   * on every holding of the role, not the one declared.
   */
  readonly confirmableRoleFields: readonly RoleScopeField[];
  /** Resource inputs this integration cannot work without. */
  readonly requiredInputs: readonly ("workspaceId" | "organizations")[];
  /**
   * The resource's scope sent with `GET users/{id}`: Truto documents `workspace_id` and `organization_id`
   * there as required for some integrations, without (in the copies read) saying which
   * (https://truto.one/docs/api-reference/unified-user-directory-api/users/get). Only a scope that names
   * exactly what the resource holds is sent, so a read can never be narrowed below what it must confirm.
   */
  readonly userReadQuery: readonly "workspace_id"[];
  /**
   * Whether the account's user listing (`GET users`) may answer reads of this row when reads are coalesced
   * (truto/coalesced-reads.ts): the unified user model carries `roles`, but whether each vendor's list fills
   * them as the single read does is not documented, so this is inferred, with `off` as the switch. Slack
   * Enterprise reads roles from `role_assignments` and takes only names and status from the listing.
   */
  readonly userListing: "inferred" | "off";
  /**
   * The page size asked of `role_assignments` listings (`limit`). Truto's guide says the Unified API takes `limit`
   * to bound page size (truto-api-notes.md §2.1); Slack's admin.roles.listAssignments takes 1–200 (§6.1), so
   * Slack Enterprise asks for 200, halving the pages of a read-back. That Truto passes it on unchanged is
   * inferred: a smaller page served instead only costs more pages. Elsewhere, the client's 100.
   */
  readonly assignmentPageSize: number;
  /**
   * Whether a `role_assignments` listing may be narrowed to the roles its reads confirm, as
   * `remote_query[role_ids]=<id>,<id>`. Slack's admin.roles.listAssignments scopes its results by `role_ids`
   * ("collection of role ids to scope results by", https://docs.slack.dev/reference/methods/admin.roles.listAssignments;
   * truto-api-notes.md §6.1), and Truto passes `remote_query` to the vendor untransformed (§3). That Truto's Slack
   * Enterprise listing is that method, that the filter reaches it, and that Slack reads an array argument sent
   * comma-separated are inferred; `off` is the switch. A listing the vendor did not narrow only costs more pages:
   * its rows are read the same way, and every row of the user counts. A filter that dropped rows would be the worst
   * failure (a role held by nobody, a revoke confirmed that did nothing), so a workspace's listings are narrowed only
   * once a narrowed listing of two held roles matched a whole one (user-directory.ts, `testFilter`).
   */
  readonly assignmentRoleFilter: "remote_query" | "off";
}

// Inferred (not on a published page): assign-role sends id, roles, workspace_id and organizations in both
// the query and the body. Truto's older `assign_role` page put Slack Enterprise's roles and workspace_id in
// the body while `unassign-role` wants them in the query; sending both works whichever Truto reads.
const ASSIGN_BOTH: Placement = {
  query: { id: "required", roles: "required", workspace_id: "supported", organizations: "supported" },
  body: { id: "required", roles: "required", workspace_id: "supported", organizations: "supported" },
};

// Inferred for every row: no page says where assign-role's fields go for the integration, beyond Slack
// Enterprise's body roles and workspace_id on the older assign_role page.
const ASSIGN_INFERRED: Sources = { id: "inferred", roles: "inferred", workspace_id: "inferred", organizations: "inferred" };

// BlackLine, CrowdStrike and TeamViewer are listed on the unassign-role page without field rules. The older
// unassign_role page lists CrowdStrike's body id and roles, and TeamViewer's body roles, as supported (not
// required); BlackLine is not on it. Where no page names a field, the user id and roles go in the body too
// (inferred), the shape every documented row accepts them in.
function generic(
  slug: IntegrationSlug,
  displayName: string,
  unassignSources: Sources,
  userListing: "inferred" | "off" = "inferred",
): IntegrationRule {
  return {
    slug,
    displayName,
    documented: "generic",
    unassignRole: { query: {}, body: { id: "supported", roles: "supported" } },
    assignRole: ASSIGN_BOTH,
    assignRoleInferred: true,
    sources: { unassignRole: { id: "inferred", roles: "inferred", ...unassignSources }, assignRole: ASSIGN_INFERRED },
    rolesPerRequest: "many",
    revokes: "listed-roles",
    roleScope: "none",
    readBack: "user-roles",
    // The field rules are not published, so neither is whether the vendor fills a role's group,
    // organization or workspace when Truto maps the user back: nothing beyond the id is confirmable.
    confirmableRoleFields: [],
    requiredInputs: [],
    userReadQuery: [],
    userListing,
    assignmentPageSize: 100,
    assignmentRoleFilter: "off",
  };
}

/** The table. Rows `elasticcloud`, `slackenterprise` and `jumpcloud` are the seed page's, field for field. */
export const RULES: Readonly<Record<IntegrationSlug, IntegrationRule>> = {
  elasticcloud: {
    slug: "elasticcloud",
    displayName: "Elastic Cloud",
    documented: "seed",
    // Seed: query id required; body id supported; no roles anywhere. Body organizations[] carries the
    // scope (the page lists the field; which integration uses it is cut off — Elastic is inferred).
    unassignRole: { query: { id: "required" }, body: { id: "supported", organizations: "supported" } },
    assignRole: ASSIGN_BOTH,
    assignRoleInferred: true,
    sources: { unassignRole: { id: "unassign-role", organizations: "inferred" }, assignRole: ASSIGN_INFERRED },
    rolesPerRequest: "many",
    // Elastic's own API (DELETE /api/v1/users/{user_id}/role_assignments,
    // https://www.elastic.co/docs/api/cloud/operation/operation-remove-role-assignments) removes the
    // assignments named in its body. What Truto's unassign-role sends it is not documented: the page gives Elastic no roles
    // field at all, only the user id and organizations. So the safe assumption is kept: a revoke may remove
    // every role the user holds in the organizations sent, and a client must never believe it revoked only
    // the one it meant (update re-grants what stays; destroy revokes the scope).
    revokes: "whole-scope",
    roleScope: "organization",
    readBack: "user-roles",
    // Elastic's role assignments are per organization and the unified user's roles carry `organization`;
    // Elastic has no groups or workspaces to hold a role in.
    confirmableRoleFields: ["organization"],
    // Without organizations, unassign-role revokes the user's roles in every organization.
    requiredInputs: ["organizations"],
    // Not organization_id: a resource may span several organizations, and a read narrowed to one of them
    // would not show a role still held in another, so a revoke there could pass as confirmed.
    userReadQuery: [],
    userListing: "inferred",
    assignmentPageSize: 100,
    assignmentRoleFilter: "off",
  },
  slackenterprise: {
    slug: "slackenterprise",
    displayName: "Slack Enterprise",
    documented: "seed",
    // Seed: query id, roles[].id and workspace_id all required; nothing in the body.
    unassignRole: { query: { id: "required", roles: "required", workspace_id: "required" }, body: {} },
    assignRole: ASSIGN_BOTH,
    assignRoleInferred: true,
    sources: {
      unassignRole: { id: "unassign-role", roles: "unassign-role", workspace_id: "unassign-role" },
      // The older assign_role page has Slack Enterprise's roles and workspace_id, required, in the body.
      assignRole: { ...ASSIGN_INFERRED, roles: "assign_role (older)", workspace_id: "assign_role (older)" },
    },
    // Slack's admin.roles.addAssignments / removeAssignments take a single role_id.
    rolesPerRequest: "one",
    revokes: "listed-roles",
    roleScope: "workspace",
    readBack: "role-assignments",
    // A role_assignments row names its workspace (and `group_id`, which Slack fills with the same team
    // or enterprise id); Slack admin roles are held per workspace, never per group or organization.
    confirmableRoleFields: ["workspace"],
    requiredInputs: ["workspaceId"],
    // A resource is in exactly one workspace, so naming it can only be what Truto needs (inferred).
    userReadQuery: ["workspace_id"],
    userListing: "inferred",
    assignmentPageSize: 200,
    assignmentRoleFilter: "remote_query",
  },
  jumpcloud: {
    slug: "jumpcloud",
    displayName: "JumpCloud",
    documented: "seed",
    // Seed: query id supported; body id and roles required.
    unassignRole: { query: { id: "supported" }, body: { id: "required", roles: "required" } },
    assignRole: ASSIGN_BOTH,
    assignRoleInferred: true,
    sources: { unassignRole: { id: "unassign-role", roles: "unassign-role" }, assignRole: ASSIGN_INFERRED },
    rolesPerRequest: "many",
    revokes: "listed-roles",
    roleScope: "none",
    readBack: "user-roles",
    // JumpCloud's admin roles are held account-wide: the unified user's roles carry no group, and
    // JumpCloud's user groups are memberships (Truto's Groups), not a scope a role is held in.
    confirmableRoleFields: [],
    requiredInputs: [],
    userReadQuery: [],
    userListing: "inferred",
    assignmentPageSize: 100,
    assignmentRoleFilter: "off",
  },
  blackline: generic("blackline", "BlackLine", {}),
  // Truto marks CrowdStrike's user list "partial: use the get endpoint for the full object" (List Users page).
  crowdstrike: generic("crowdstrike", "CrowdStrike", { id: "unassign_role (older)", roles: "unassign_role (older)" }, "off"),
  teamviewer: generic("teamviewer", "TeamViewer", { roles: "unassign_role (older)" }),
};

/** Query keys `remoteQuery` may never set: they identify the call itself. */
export const RESERVED_REMOTE_QUERY_KEYS = ["integrated_account_id", "id", "roles", "workspace_id"] as const;

/** Whether `slug` is one of the integrations this package can grant and revoke for. */
export function isKnownIntegration(slug: string): slug is IntegrationSlug {
  return (INTEGRATIONS as readonly string[]).includes(slug);
}

/** The rule for `slug`; throws for a slug outside the table (callers validate first). */
export function ruleFor(slug: string): IntegrationRule {
  if (!isKnownIntegration(slug)) {
    throw new Error(`Unknown integration "${slug}". Supported: ${INTEGRATIONS.join(", ")}.`);
  }
  return RULES[slug];
}

/**
 * Where the client puts `field` for a request documented by `placement`: where it is required; else
 * where it is supported (body first, as Truto's write guide prefers); `both` when both are documented
 * the same way; `omit` when the integration takes no such field.
 */
export function placeField(placement: Placement, field: RequestField): "query" | "body" | "both" | "omit" {
  const q = placement.query[field];
  const b = placement.body[field];
  if (q && b && q === b) return "both";
  if (q === "required") return "query";
  if (b === "required") return "body";
  if (b) return "body";
  if (q) return "query";
  return "omit";
}
