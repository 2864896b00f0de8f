/**
 * The sandbox's own model of Truto's per-integration rules for the role methods, taken from the
 * docs (the unassign-role page is the contract; see the project's reference notes). It is kept
 * apart from the client's placement table on purpose: a client that puts a field in the wrong
 * place must get the 400 real Truto would send, not an echo of its own mistake.
 */
import type { VendorStyle } from "./vendor-errors";

/** Where a field travels in the request. */
export type Place = "query" | "body";

/** The identifying fields of assign-role and unassign-role, named as Truto's docs name them. */
export type FieldName = "id" | "roles" | "workspace_id" | "organizations";

/** Where one field is read from, and where it must be present. */
export interface FieldRule {
  /** Places the field is read from, in order; the first place that holds a value wins. */
  from: readonly Place[];
  /** Where a value must be present; "either" is reported as a missing body field. Absent = optional. */
  required?: Place | "either";
}

/** The field rules of one method for one integration; fields not listed are ignored. */
export type MethodRules = Partial<Record<FieldName, FieldRule>>;

/** Everything the sandbox needs to know to behave like one integration behind Truto. */
export interface IntegrationRules {
  /** The name people know, used in messages. */
  label: string;
  /** How the app words its error bodies. */
  vendor: VendorStyle;
  /** What a held role is scoped to: a Slack workspace, an Elastic organization, or nothing. */
  scope: "workspace" | "organization" | "none";
  /** Slack's admin.roles.addAssignments/removeAssignments take a single role_id. */
  singleRolePerRequest: boolean;
  /** "scope-wide": Elastic's DELETE role_assignments revokes everything in the scope, whatever is sent. */
  unassignRevokes: "listed" | "scope-wide";
  unassign: MethodRules;
  assign: MethodRules;
  /** Query parameters GET role_assignments requires. */
  roleAssignmentsRequire: readonly string[];
  /**
   * The vendor's filter of GET role_assignments by role, reached through `remote_query`: Slack's
   * admin.roles.listAssignments scopes its results by `role_ids` (an array; sent comma-separated, or repeated).
   */
  roleAssignmentsRemoteFilter?: "role_ids";
}

const QUERY_REQUIRED: FieldRule = { from: ["query"], required: "query" };
const BODY_REQUIRED: FieldRule = { from: ["body"], required: "body" };

// assign-role's current page is unknown, so the identifying fields are accepted in either place;
// the body wins when both hold a value.
const EITHER_REQUIRED: FieldRule = { from: ["body", "query"], required: "either" };
const EITHER_OPTIONAL: FieldRule = { from: ["body", "query"] };

const ASSIGN_DEFAULT: MethodRules = {
  id: EITHER_REQUIRED,
  roles: EITHER_REQUIRED,
  workspace_id: EITHER_OPTIONAL,
  organizations: EITHER_OPTIONAL,
};

// A field the older unassign_role page lists as "supported", not required, for an integration: read from the body,
// never reported missing by Truto (truto-api-notes §1.2, 1.5:
// https://truto.one/docs/api-reference/unified-user-directory-api/users/unassign_role). The app still needs it to act
// on, so leaving it out is the vendor's 400 (role-changes.ts), not Truto's.
const BODY_SUPPORTED: FieldRule = { from: ["body"] };

// Integrations the unassign-role page does not detail take id and roles in the body (inferred: the older
// page's JumpCloud row, the most common shape for writes).
const GENERIC: IntegrationRules = {
  label: "this integration",
  vendor: "generic",
  scope: "none",
  singleRolePerRequest: false,
  unassignRevokes: "listed",
  unassign: { id: BODY_REQUIRED, roles: BODY_REQUIRED },
  assign: ASSIGN_DEFAULT,
  roleAssignmentsRequire: [],
};

/** The table: one row per integration slug; any other slug gets the generic row. */
export const TRUTO_RULES: Readonly<Record<string, IntegrationRules>> = {
  slackenterprise: {
    label: "Slack Enterprise",
    vendor: "slack",
    scope: "workspace",
    singleRolePerRequest: true,
    unassignRevokes: "listed",
    unassign: { id: QUERY_REQUIRED, roles: QUERY_REQUIRED, workspace_id: QUERY_REQUIRED },
    assign: { ...ASSIGN_DEFAULT, workspace_id: EITHER_REQUIRED },
    roleAssignmentsRequire: ["workspace_id"],
    roleAssignmentsRemoteFilter: "role_ids",
  },
  elasticcloud: {
    label: "Elastic Cloud",
    vendor: "elastic",
    scope: "organization",
    singleRolePerRequest: false,
    unassignRevokes: "scope-wide",
    // Query id is required; the body id is only "supported", so it never satisfies the requirement.
    unassign: { id: { from: ["query", "body"], required: "query" }, organizations: { from: ["body"] } },
    assign: ASSIGN_DEFAULT,
    roleAssignmentsRequire: [],
  },
  jumpcloud: {
    label: "JumpCloud",
    vendor: "jumpcloud",
    scope: "none",
    singleRolePerRequest: false,
    unassignRevokes: "listed",
    // Body id is required and query id only "supported": a query id alone is a 400.
    unassign: { id: { from: ["body", "query"], required: "body" }, roles: BODY_REQUIRED },
    assign: ASSIGN_DEFAULT,
    roleAssignmentsRequire: [],
  },
  // Absent from the older unassign_role page; the new one lists it without field detail: the generic row, inferred.
  blackline: { ...GENERIC, label: "BlackLine" },
  // The older unassign_role page: body id and roles "supported in CrowdStrike".
  crowdstrike: { ...GENERIC, label: "CrowdStrike", vendor: "crowdstrike", unassign: { id: BODY_SUPPORTED, roles: BODY_SUPPORTED } },
  // The older unassign_role page: body roles "supported in TeamViewer"; it names no id for TeamViewer, so the
  // generic row's required body id stays (inferred).
  teamviewer: { ...GENERIC, label: "TeamViewer", vendor: "teamviewer", unassign: { id: BODY_REQUIRED, roles: BODY_SUPPORTED } },
};

/** The rules for an integration slug; unknown slugs get the generic row. */
export function rulesFor(integration: string): IntegrationRules {
  return Object.hasOwn(TRUTO_RULES, integration) ? TRUTO_RULES[integration] : { ...GENERIC, label: integration };
}
