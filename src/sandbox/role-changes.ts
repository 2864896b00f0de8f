import { missingFieldsError, trutoError } from "./errors";
import type { RoleRef, RoleRequest } from "./role-request";
import { sameHolding, type AccountIndex } from "./store";
import type { IntegrationRules } from "./truto-rules";
import type { HeldRole, SandboxUser } from "./types";
import { vendorError } from "./vendor-errors";

/** A planned change: the user and the roles they will hold after it. Nothing is applied yet. */
export interface RoleChange {
  user: SandboxUser;
  roles: HeldRole[];
}

/** What a plan needs to know: the account, its integration's rules, and the strictness switch. */
export interface PlanContext {
  account: AccountIndex;
  rules: IntegrationRules;
  strict: boolean;
}

function describe(role: HeldRole): string {
  if (role.workspace !== undefined) return `"${role.id}" in workspace "${role.workspace}"`;
  if (role.organization !== undefined) return `"${role.id}" in organization "${role.organization}"`;
  return `"${role.id}"`;
}

function findUser(ctx: PlanContext, userId: string): SandboxUser {
  const user = ctx.account.users.get(userId);
  if (user) return user;
  throw vendorError(ctx.rules.vendor, "user_not_found", {
    id: userId,
    detail:
      `${ctx.rules.label} has no user "${userId}" in integrated account ${ctx.account.account.id}. ` +
      "List users with GET /unified/user-directory/users.",
  });
}

function checkRoleCount(ctx: PlanContext, request: RoleRequest, verb: string): void {
  if (!ctx.rules.singleRolePerRequest || request.roles.length <= 1) return;
  const ids = request.roles.map((role) => role.id).join(", ");
  throw vendorError(ctx.rules.vendor, "too_many_roles", {
    id: ids,
    detail:
      `${ctx.rules.label} ${verb}s one role per request (its API takes a single role_id), ` +
      `but this request names ${request.roles.length} roles (${ids}). Send one request per role.`,
  });
}

function checkRoleExists(ctx: PlanContext, roleId: string): void {
  if (ctx.account.roles.has(roleId)) return;
  throw vendorError(ctx.rules.vendor, "role_not_found", {
    id: roleId,
    detail: `${ctx.rules.label} has no role "${roleId}". List roles with GET /unified/user-directory/roles.`,
  });
}

function checkScopeExists(ctx: PlanContext, kind: "workspace" | "organization", id: string): void {
  const known = kind === "workspace" ? ctx.account.workspaces : ctx.account.organizations;
  if (known.has(id)) return;
  throw vendorError(ctx.rules.vendor, "scope_not_found", {
    id,
    detail: `${ctx.rules.label} has no ${kind} "${id}". List them with GET /unified/user-directory/${kind}s.`,
  });
}

const SCOPE_FIELDS = ["group", "organization", "workspace"] as const;

/**
 * A role's scope field the integration does not hold roles in is refused, not ignored: silently granting
 * the role without it would grant something other than what was asked, and a read-back could never show
 * the scope. No modelled integration holds roles per group; Slack Enterprise's are per workspace and
 * Elastic Cloud's per organization.
 */
function checkScopeFields(ctx: PlanContext, role: RoleRef, index: number, method: string): void {
  for (const field of SCOPE_FIELDS) {
    if (role[field] === undefined || field === ctx.rules.scope) continue;
    const held = ctx.rules.scope === "none" ? "holds roles account-wide" : `holds roles per ${ctx.rules.scope}`;
    throw trutoError(
      400,
      `${method} for ${ctx.rules.label}: roles[${index}].${field} is not supported; ${ctx.rules.label} ${held}, not per ${field}. Remove ${field}.`,
    );
  }
}

/** Turns requested roles into the exact holdings they mean, checking roles and scopes exist. */
function targets(ctx: PlanContext, request: RoleRequest, method: string): HeldRole[] {
  const held: HeldRole[] = [];
  for (const [index, role] of request.roles.entries()) {
    checkScopeFields(ctx, role, index, method);
    checkRoleExists(ctx, role.id);
    if (ctx.rules.scope === "workspace") {
      const workspace = request.workspaceId ?? role.workspace;
      if (workspace === undefined) throw missingFieldsError(method, ctx.rules.label, { query: [], body: ["workspace_id"] });
      checkScopeExists(ctx, "workspace", workspace);
      held.push({ id: role.id, workspace });
    } else if (ctx.rules.scope === "organization") {
      const organizations = role.organization !== undefined ? [role.organization] : (request.organizationIds ?? []);
      if (organizations.length === 0) {
        throw missingFieldsError(method, ctx.rules.label, { query: [], body: ["organizations"] });
      }
      for (const organization of organizations) {
        checkScopeExists(ctx, "organization", organization);
        held.push({ id: role.id, organization });
      }
    } else {
      held.push({ id: role.id });
    }
  }
  return held;
}

/**
 * What the app needs to act on, whatever Truto checked: a user id, and the roles when it revokes listed roles.
 * Where Truto's docs call a field only "supported" (CrowdStrike's body id and roles, TeamViewer's roles on
 * unassign-role), Truto forwards a request without it, and the vendor answers 400.
 */
function requireVendorArguments(ctx: PlanContext, request: RoleRequest, verb: string, needsRoles: boolean): string {
  const missing = [request.userId === undefined ? "a user id" : undefined, needsRoles && request.roles.length === 0 ? "roles" : undefined];
  const named = missing.filter((what) => what !== undefined);
  if (named.length === 0) return request.userId!;
  throw vendorError(ctx.rules.vendor, "missing_argument", {
    id: request.userId ?? "",
    detail: `${ctx.rules.label} cannot ${verb} without ${named.join(" and ")}. Truto forwards them from the body fields id and roles.`,
  });
}

/** Plans assign-role: grants every requested holding; in strict mode a held one is a 409. */
export function planAssign(ctx: PlanContext, request: RoleRequest): RoleChange {
  const user = findUser(ctx, requireVendorArguments(ctx, request, "assign roles", true));
  checkRoleCount(ctx, request, "assign");
  const wanted = targets(ctx, request, "assign-role");
  const roles = user.roles.map((role) => ({ ...role }));
  for (const target of wanted) {
    if (roles.some((role) => sameHolding(role, target))) {
      if (!ctx.strict) continue;
      throw vendorError(ctx.rules.vendor, "already_held", {
        id: user.id,
        detail: `User "${user.id}" already holds role ${describe(target)}. (Strict mode reports this as the vendor would.)`,
      });
    }
    roles.push(target);
  }
  return { user, roles };
}

/** Plans unassign-role: revokes the listed holdings, or Elastic-style every role in the scope. */
export function planUnassign(ctx: PlanContext, request: RoleRequest): RoleChange {
  const user = findUser(ctx, requireVendorArguments(ctx, request, "unassign roles", ctx.rules.unassignRevokes === "listed"));
  checkRoleCount(ctx, request, "unassign");
  const revoked = ctx.rules.unassignRevokes === "scope-wide" ? scopeWide(ctx, request, user) : listed(ctx, request, user);
  return { user, roles: user.roles.filter((role) => !revoked.some((gone) => sameHolding(gone, role))) };
}

// Elastic's DELETE /users/{id}/role_assignments removes every role in the organizations named,
// whatever roles the request lists; with no organization named it clears them all.
function scopeWide(ctx: PlanContext, request: RoleRequest, user: SandboxUser): HeldRole[] {
  const organizations = request.organizationIds;
  organizations?.forEach((organization) => checkScopeExists(ctx, "organization", organization));
  const revoked = user.roles.filter(
    (role) => organizations === undefined || (role.organization !== undefined && organizations.includes(role.organization)),
  );
  if (revoked.length === 0 && ctx.strict) {
    const where = organizations ? `organizations ${organizations.join(", ")}` : "any organization";
    throw vendorError(ctx.rules.vendor, "not_held", {
      id: user.id,
      detail: `User "${user.id}" holds no role in ${where}. (Strict mode reports this as the vendor would.)`,
    });
  }
  return revoked;
}

function listed(ctx: PlanContext, request: RoleRequest, user: SandboxUser): HeldRole[] {
  const wanted = targets(ctx, request, "unassign-role");
  if (ctx.strict) {
    const missing = wanted.find((target) => !user.roles.some((role) => sameHolding(role, target)));
    if (missing) {
      throw vendorError(ctx.rules.vendor, "not_held", {
        id: user.id,
        detail: `User "${user.id}" does not hold role ${describe(missing)}. (Strict mode reports this as the vendor would.)`,
      });
    }
  }
  return wanted;
}
