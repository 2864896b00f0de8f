import { trutoError } from "../errors";
import type { RouteResult } from "../http-io";
import { admitUnified } from "../limits";
import type { SandboxRuntime } from "../runtime";
import { asResult, headerValue, type SandboxCall } from "../sandbox-call";
import type { AccountIndex } from "../store";
import { rulesFor } from "../truto-rules";
import { vendorError } from "../vendor-errors";
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
 * 503 for a blocked account and 405 for a write to a sandbox account, both Truto's own, before any window counts
 * the request; {@link refuseNeedsReauth} answers for the vendor.
 */
export function refuseForAccount(call: SandboxCall, account: AccountIndex): void {
  const { id, blocked, isSandbox } = account.account;
  if (blocked) throw trutoError(503, `Integrated account ${id} is blocked. Contact Truto support to unblock it.`);
  if (isSandbox && call.method !== "GET")
    throw trutoError(405, `Integrated account ${id} is a sandbox account, which does not allow ${call.method} requests.`);
}

// While an account needs re-authentication the vendor rejects its credentials: a remote 401 (same source).
function refuseNeedsReauth(account: AccountIndex): void {
  const { id, status, integration } = account.account;
  if (status !== "needs_reauth") return;
  throw vendorError(rulesFor(integration).vendor, "unauthorized", {
    id,
    detail: `The credentials of integrated account ${id} were rejected; it needs to be reconnected.`,
  });
}

/**
 * Handles /unified/user-directory/*: route, account, Truto's per-account limit and the vendor's quota, then
 * the handler, with POSTs carrying an Idempotency-Key replayed from the cache when seen before.
 */
export async function handleUnified(call: SandboxCall, rt: SandboxRuntime, noop: boolean): Promise<RouteResult> {
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
