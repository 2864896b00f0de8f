import { trutoError } from "../errors";
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

// The scope parameters Truto documents on GET users/{id} ("required for some integrations", truto-api-notes §2.2:
// https://www.truto.one/docs/api-reference/unified-user-directory-api/users/get), and what each must name.
const SCOPE_PARAMETERS = [
  ["workspace_id", "workspace"],
  ["organization_id", "organization"],
] as const;

// A scope parameter given must name a workspace or organization of the account; the vendor answers 404 otherwise.
// It narrows nothing: the user object is the same, with every role it holds.
function checkScopeParameters(ctx: UnifiedContext): void {
  for (const [name, kind] of SCOPE_PARAMETERS) {
    const value = ctx.call.query[name];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string") throw trutoError(400, `The ${name} query parameter must be a single string.`);
    const known = kind === "workspace" ? ctx.account.workspaces : ctx.account.organizations;
    if (known.has(value)) continue;
    throw vendorError(ctx.rules.vendor, "scope_unknown", {
      id: value,
      detail: `${ctx.rules.label} has no ${kind} "${value}" in integrated account ${ctx.account.account.id} (${name}). List them with GET /unified/user-directory/${kind}s.`,
    });
  }
}

/** GET /unified/user-directory/users/{id}: the unified user object itself, not wrapped. */
export function getUser(ctx: UnifiedContext): RouteResult {
  checkScopeParameters(ctx);
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
