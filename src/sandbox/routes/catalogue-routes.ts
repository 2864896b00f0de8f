import { missingFieldsError } from "../errors";
import type { RouteResult } from "../http-io";
import { paginate } from "../pagination";
import { vendorError } from "../vendor-errors";
import type { UnifiedContext } from "./unified-context";

function names(records: Iterable<{ id: string; name: string }>): { id: string; name: string }[] {
  return [...records].map(({ id, name }) => ({ id, name }));
}

/** GET /unified/user-directory/roles: the roles that can be assigned in this account. */
export function listRoles(ctx: UnifiedContext): RouteResult {
  return { status: 200, body: paginate(names(ctx.account.roles.values()), ctx.call.query) };
}

/** GET /unified/user-directory/workspaces: Slack Enterprise workspaces (empty elsewhere). */
export function listWorkspaces(ctx: UnifiedContext): RouteResult {
  return { status: 200, body: paginate(names(ctx.account.workspaces.values()), ctx.call.query) };
}

/** GET /unified/user-directory/organizations: Elastic Cloud organizations (empty elsewhere). */
export function listOrganizations(ctx: UnifiedContext): RouteResult {
  return { status: 200, body: paginate(names(ctx.account.organizations.values()), ctx.call.query) };
}

function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * A list argument passed to the vendor as `remote_query[name]`: comma-separated, or repeated (`name[]=`).
 * Undefined when absent or empty (the vendor then does not filter).
 */
function remoteList(query: Record<string, unknown>, name: string): Set<string> | undefined {
  const remote = query.remote_query;
  const value = remote !== null && typeof remote === "object" ? (remote as Record<string, unknown>)[name] : undefined;
  const items = (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === "string")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return items.length > 0 ? new Set(items) : undefined;
}

/**
 * GET /unified/user-directory/role_assignments: one row per held role. Slack Enterprise requires
 * `workspace_id` and lists that workspace only, of the roles in `remote_query[role_ids]` when given (Slack's
 * own filter); other integrations list every held role.
 */
export function listRoleAssignments(ctx: UnifiedContext): RouteResult {
  const { query } = ctx.call;
  const missing = ctx.rules.roleAssignmentsRequire.filter((name) => stringParam(query, name) === undefined);
  if (missing.length > 0) throw missingFieldsError("GET role_assignments", ctx.rules.label, { query: missing, body: [] }, "");
  const workspace = ctx.rules.scope === "workspace" ? stringParam(query, "workspace_id") : undefined;
  if (workspace !== undefined && !ctx.account.workspaces.has(workspace)) {
    throw vendorError(ctx.rules.vendor, "scope_not_found", {
      id: workspace,
      detail: `${ctx.rules.label} has no workspace "${workspace}". List them with GET /unified/user-directory/workspaces.`,
    });
  }
  const organization = ctx.rules.scope === "organization" ? stringParam(query, "organization_id") : undefined;
  const roleId = stringParam(query, "role_id");
  const vendorRoles = ctx.rules.roleAssignmentsRemoteFilter ? remoteList(query, ctx.rules.roleAssignmentsRemoteFilter) : undefined;
  const rows = [];
  for (const user of ctx.account.users.values()) {
    for (const role of user.roles) {
      if (workspace !== undefined && role.workspace !== workspace) continue;
      if (organization !== undefined && role.organization !== organization) continue;
      if (roleId !== undefined && role.id !== roleId) continue;
      if (vendorRoles !== undefined && !vendorRoles.has(role.id)) continue;
      const group = role.workspace ?? role.organization;
      rows.push({
        id: [user.id, role.id, group].filter((part) => part !== undefined).join(":"),
        user_id: user.id,
        role_id: role.id,
        workspace: role.workspace !== undefined ? [role.workspace] : [],
        ...(group !== undefined ? { group_id: group } : {}),
        created_at: ctx.rt.store.grantedTime(user, role),
      });
    }
  }
  return { status: 200, body: paginate(rows, query) };
}
