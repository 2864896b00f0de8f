import { trutoError } from "../errors";
import type { RouteResult } from "../http-io";
import { admitUnified } from "../limits";
import type { SandboxRuntime } from "../runtime";
import { asResult, headerValue, type SandboxCall } from "../sandbox-call";
import { rulesFor } from "../truto-rules";
import { refuseForAccount, refuseNeedsReauth, resolveAccount } from "./account-checks";
import { handleMeta, matchMeta } from "./meta-route";
import { listOrganizations, listRoleAssignments, listRoles, listWorkspaces } from "./catalogue-routes";
import { assignRole, unassignRole } from "./role-routes";
import type { UnifiedContext, UnifiedHandler } from "./unified-context";
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

/**
 * Handles /unified/user-directory/*: route, account, Truto's per-account limit and the vendor's quota, then
 * the handler, with POSTs carrying an Idempotency-Key replayed from the cache when seen before.
 */
export async function handleUnified(call: SandboxCall, rt: SandboxRuntime, noop: boolean): Promise<RouteResult> {
  const meta = matchMeta(call);
  if (meta) return handleMeta(meta, call, rt);
  const route = match(call);
  if (!route) throw trutoError(404, `No route for ${call.method} ${call.pathname}. The sandbox models the user-directory unified API.`);
  const account = resolveAccount(call, rt);
  refuseForAccount(call, account);
  const admission = admitUnified(rt, account, true);
  const ctx = { call, rt, account, rules: rulesFor(account.account.integration), id: route.id, noop };
  return admission.settle(await asResult(() => answer(ctx, route.handler)));
}

// The vendor's part of a unified call: its credentials, then the handler, replayed for a repeated Idempotency-Key.
async function answer(ctx: UnifiedContext, handler: UnifiedHandler): Promise<RouteResult> {
  const { call, rt, account } = ctx;
  refuseNeedsReauth(account);
  const run = () => asResult(() => handler(ctx));
  const key = call.method === "POST" ? headerValue(call.headers, "idempotency-key") : undefined;
  if (key === undefined) return run();
  const cacheKey = JSON.stringify([account.account.id, call.pathname, key]);
  const { response, replayed } = await rt.idempotency.run(cacheKey, run);
  return replayed ? { ...response, headers: { ...response.headers, "idempotent-replayed": "true" } } : response;
}
