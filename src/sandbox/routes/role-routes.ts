import { bodyObject, type RouteResult } from "../http-io";
import { planAssign, planUnassign, type RoleChange } from "../role-changes";
import { readRoleRequest } from "../role-request";
import { unifiedRoles } from "../unified-views";
import type { UnifiedContext } from "./unified-context";

async function apply(ctx: UnifiedContext, change: RoleChange): Promise<RouteResult> {
  // A noop fault models a server that answers success without doing the work.
  if (!ctx.noop) await ctx.rt.store.setRoles(change.user, change.roles);
  return { status: 200, body: { result: { id: change.user.id, roles: unifiedRoles(ctx.account, change.roles) } } };
}

function planContext(ctx: UnifiedContext) {
  return { account: ctx.account, rules: ctx.rules, strict: ctx.rt.settings.strictIdempotency };
}

/** POST /unified/user-directory/users/assign-role: identifying fields in the query or the body. */
export function assignRole(ctx: UnifiedContext): Promise<RouteResult> {
  const request = readRoleRequest("assign-role", ctx.rules.label, ctx.rules.assign, ctx.call.query, bodyObject(ctx.call.body));
  return apply(ctx, planAssign(planContext(ctx), request));
}

/** POST /unified/user-directory/users/unassign-role: fields exactly where the docs put them. */
export function unassignRole(ctx: UnifiedContext): Promise<RouteResult> {
  const request = readRoleRequest("unassign-role", ctx.rules.label, ctx.rules.unassign, ctx.call.query, bodyObject(ctx.call.body));
  return apply(ctx, planUnassign(planContext(ctx), request));
}
