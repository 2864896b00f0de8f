import { remoteError, trutoError } from "../errors";
import type { RouteResult } from "../http-io";
import type { SandboxRuntime } from "../runtime";
import { asResult, headerValue, type SandboxCall } from "../sandbox-call";
import type { AccountIndex } from "../store";
import { rulesFor } from "../truto-rules";
import { listOrganizations, listRoleAssignments, listRoles, listWorkspaces } from "./catalogue-routes";
import { assignRole, unassignRole } from "./role-routes";
import type { UnifiedHandler } from "./unified-context";
import { getUser, listUsers } from "./user-routes";

interface Match {
  handler: UnifiedHandler;
  id?: string;
}

// The route table below /unified/user-directory: [method, resource, sub-path or ":id", handler].
const ROUTES: readonly [string, string, string | undefined, UnifiedHandler][] = [
  ["GET", "users", undefined, listUsers],
  ["POST", "users", "assign-role", assignRole],
  ["POST", "users", "unassign-role", unassignRole],
  ["GET", "users", ":id", getUser],
  ["GET", "roles", undefined, listRoles],
  ["GET", "workspaces", undefined, listWorkspaces],
  ["GET", "organizations", undefined, listOrganizations],
  ["GET", "role_assignments", undefined, listRoleAssignments],
];

function match(call: SandboxCall): Match | undefined {
  const [, model, resource, sub, ...rest] = call.segments;
  if (model !== "user-directory" || rest.length > 0) return undefined;
  for (const [method, routeResource, routeSub, handler] of ROUTES) {
    if (method !== call.method || routeResource !== resource) continue;
    if (routeSub === undefined && sub === undefined) return { handler };
    if (routeSub === ":id" && sub !== undefined) return { handler, id: sub };
    if (routeSub !== undefined && routeSub === sub) return { handler };
  }
  return undefined;
}

function resolveAccount(call: SandboxCall, rt: SandboxRuntime): AccountIndex {
  const id = call.query.integrated_account_id;
  if (id === undefined || id === "") {
    throw trutoError(400, "integrated_account_id is required. Add ?integrated_account_id=<id of the connected account> to the URL.");
  }
  if (typeof id !== "string") throw trutoError(400, "integrated_account_id must be a single string.");
  const account = rt.store.account(id);
  if (!account) {
    throw trutoError(404, `Integrated account ${id} was not found. Check the id (GET /_sandbox/state lists the sandbox's accounts).`);
  }
  return account;
}

/**
 * Truto's answers for an account that cannot serve this call (truto-api-notes §4.3, from the error model at
 * https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md):
 * 503 for a blocked account, 401 from the vendor while it needs re-authentication, 405 for a write to a sandbox account.
 */
function refuseForAccount(call: SandboxCall, account: AccountIndex): void {
  const { id, blocked, status, isSandbox } = account.account;
  if (blocked) throw trutoError(503, `Integrated account ${id} is blocked. Contact Truto support to unblock it.`);
  if (status === "needs_reauth") {
    throw remoteError(401, `The credentials of integrated account ${id} were rejected; it needs to be reconnected.`, {
      error: "invalid_auth",
    });
  }
  if (isSandbox && call.method !== "GET")
    throw trutoError(405, `Integrated account ${id} is a sandbox account, which does not allow ${call.method} requests.`);
}

/**
 * Handles /unified/user-directory/*: route, account, the per-account rate limit, then the handler,
 * with POSTs carrying an Idempotency-Key replayed from the cache when seen before.
 */
export async function handleUnified(call: SandboxCall, rt: SandboxRuntime, noop: boolean): Promise<RouteResult> {
  const route = match(call);
  if (!route) throw trutoError(404, `No route for ${call.method} ${call.pathname}. The sandbox models the user-directory unified API.`);
  const account = resolveAccount(call, rt);
  refuseForAccount(call, account);
  const decision = rt.limiter?.take(account.account.id);
  const limitHeaders = decision?.headers ?? {};
  if (decision && !decision.allowed) {
    const limit = rt.settings.rateLimit;
    const window = limit === false ? "" : ` (${limit.limit} requests per ${limit.windowMs / 1000} s)`;
    const message =
      `Rate limit for integrated account ${account.account.id} exceeded${window}. ` + `Retry after ${limitHeaders["retry-after"]} seconds.`;
    throw trutoError(429, message, limitHeaders);
  }
  const ctx = { call, rt, account, rules: rulesFor(account.account.integration), id: route.id, noop };
  const run = () => asResult(() => route.handler(ctx));
  const key = call.method === "POST" ? headerValue(call.headers, "idempotency-key") : undefined;
  let result: RouteResult;
  if (key === undefined) {
    result = await run();
  } else {
    const cacheKey = JSON.stringify([account.account.id, call.pathname, key]);
    const { response, replayed } = await rt.idempotency.run(cacheKey, run);
    result = replayed ? { ...response, headers: { ...response.headers, "idempotent-replayed": "true" } } : response;
  }
  return { ...result, headers: { ...result.headers, ...limitHeaders } };
}
