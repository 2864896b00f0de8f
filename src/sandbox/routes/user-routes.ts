import type { RouteResult } from "../http-io";
import { paginate } from "../pagination";
import { shapeRecord, unifiedUser } from "../unified-views";
import { vendorError } from "../vendor-errors";
import type { UnifiedContext } from "./unified-context";

/** GET /unified/user-directory/users: the account's users, a page at a time. */
export function listUsers(ctx: UnifiedContext): RouteResult {
  const page = paginate([...ctx.account.users.values()], ctx.call.query);
  const result = page.result.map((user) => shapeRecord(unifiedUser(ctx.account, user), ctx.call.query));
  return { status: 200, body: { ...page, result } };
}

/** GET /unified/user-directory/users/{id}: the unified user object itself, not wrapped. */
export function getUser(ctx: UnifiedContext): RouteResult {
  const id = ctx.id ?? "";
  const user = ctx.account.users.get(id);
  if (!user) {
    throw vendorError(ctx.rules.vendor, "user_not_found", {
      id,
      detail: `${ctx.rules.label} has no user "${id}" in integrated account ${ctx.account.account.id}.`,
    });
  }
  return { status: 200, body: shapeRecord(unifiedUser(ctx.account, user), ctx.call.query) };
}
