/**
 * HTTP requests per operation, counted in the sandbox's request log, for each kind of integration rule:
 * create (two roles), update (one role added, one removed), delete (two roles), and a refresh of N
 * assignments of one user. Each count has a budget derived from the integration's rules (issue 6).
 */
import { destroy, newStackState, refresh, up, type Engine, type StackState } from "../tools/engine/deployment";
import type { Host } from "../tools/engine/host";
import { benchEngine } from "./deploy";
import type { CountCase } from "./population";
import type { SandboxProcess } from "./sandbox-process";
import type { LoggedRequest } from "../src/sandbox";

/** The integration's rules that set the budgets (a subset of the package's RULES rows). */
export interface CountRule {
  rolesPerRequest: "one" | "many";
  readBack: "user-roles" | "role-assignments";
}

/** A measured count and what it may be at most. */
export interface Counted {
  requests: number;
  budget: number;
}

/** The counts for one integration. */
export interface IntegrationCounts {
  integration: string;
  create: Counted;
  update: Counted;
  delete: Counted;
  /** `GET users/{id}` requests for a refresh of N assignments of one user; the budget is 1. */
  refreshUserReads: Counted;
  /** Every request of that refresh (a workspace list too, where the integration reads back that way). */
  refreshRequests: number;
  /** `GET /integrated-account/{id}` lookups, once per account per host process. */
  accountLookups: number;
  /** Truto's description of a write method (`GET users/meta/{method}`, the placement check), once per integration and method per host process. */
  methodDescriptions: number;
}

const ACCOUNT_LOOKUP = /^\/integrated-account\//;
const DESCRIPTION = /^\/unified\/user-directory\/users\/meta\//;

/** The once-per-process lookups: the integrated account, and Truto's description of a write method (the placement check). */
export const LOOKUP = /^\/integrated-account\/|^\/unified\/user-directory\/users\/meta\//;

/**
 * The requests of `log` that failed: unanswered, or answered 300 or more (429 too, unless `allow429`). A sandbox
 * without Truto's meta endpoint answers the placement check's lookup 404, and the provider goes on without it.
 */
export function failedRequests(log: readonly LoggedRequest[], allow429 = false): LoggedRequest[] {
  return log.filter(
    (e) => e.status === null || (e.status >= 300 && !(allow429 && e.status === 429) && !(e.status === 404 && LOOKUP.test(e.path))),
  );
}
const USER_READ = /^\/unified\/user-directory\/users\/(?!assign-role$|unassign-role$)[^/]+$/;

/** Requests a read-back costs: a user read, plus one page of the workspace's assignments where the rule says so. */
export function readBackCost(rule: CountRule): number {
  return rule.readBack === "role-assignments" ? 2 : 1;
}

/** Write requests for `roles` roles under the roles-per-request rule. */
export function writeCost(rule: CountRule, roles: number): number {
  return rule.rolesPerRequest === "one" ? roles : 1;
}

async function counted<T>(
  sandbox: SandboxProcess,
  run: () => Promise<T>,
): Promise<{ value: T; api: number; lookups: number; descriptions: number; userReads: number }> {
  await sandbox.clearRequests();
  const value = await run();
  const log = await sandbox.requests();
  const bad = failedRequests(log);
  if (bad.length > 0) throw new Error(`bench: a counted request failed: ${JSON.stringify(bad[0])}`);
  const lookups = log.filter((e) => ACCOUNT_LOOKUP.test(e.path)).length;
  const descriptions = log.filter((e) => DESCRIPTION.test(e.path)).length;
  return {
    value,
    api: log.length - lookups - descriptions,
    lookups,
    descriptions,
    userReads: log.filter((e) => e.method === "GET" && USER_READ.test(e.path)).length,
  };
}

/** `pulumi up` of one resource in `state`; throws unless it took the step `op`. */
async function upOne(
  engine: Engine,
  state: StackState,
  name: string,
  inputs: Record<string, unknown>,
  op: "create" | "update",
): Promise<void> {
  const steps = await up(engine, state, [engine.resource(name, inputs)]);
  if (steps[0]?.op !== op)
    throw new Error(`bench: expected ${name} to take an in-place ${op}, but the engine ran ${steps.map((s) => s.op).join(", ")}.`);
}

/** Runs one integration's case through `host` and counts each operation's requests. */
export async function countRequests(
  host: Host,
  sandbox: SandboxProcess,
  providerText: string,
  c: CountCase,
  rule: CountRule,
  fanout: number,
): Promise<IntegrationCounts> {
  const readBack = readBackCost(rule);
  const engine = benchEngine(host, providerText);
  const name = `count-${c.integration}`;
  const state = newStackState();
  const created = await counted(sandbox, () => upOne(engine, state, name, c.inputs([0, 1]), "create"));
  const updated = await counted(sandbox, () => upOne(engine, state, name, c.inputs([1, 2]), "update"));

  const shared = newStackState();
  const assignments = Array.from({ length: fanout }, (_, k) => engine.resource(`count-${c.integration}-shared-${k}`, c.refreshInputs(k)));
  await up(engine, shared, assignments, { parallel: 1 });
  // The engine refreshes resources in parallel; every one of them must still be there.
  const refreshed = await counted(sandbox, () => refresh(engine, shared, { parallel: fanout }));
  const gone = refreshed.value.filter((s) => !s.state).length;
  if (gone > 0) throw new Error(`bench: ${gone} of ${fanout} ${c.integration} assignments read back as gone during the refresh count.`);

  const deleted = await counted(sandbox, () => destroy(engine, state));
  await destroy(engine, shared, { parallel: 1 });

  return {
    integration: c.integration,
    create: { requests: created.api, budget: writeCost(rule, 2) + readBack },
    update: { requests: updated.api, budget: 2 + readBack },
    delete: { requests: deleted.api, budget: writeCost(rule, 2) + readBack },
    refreshUserReads: { requests: refreshed.userReads, budget: 1 },
    refreshRequests: refreshed.api,
    accountLookups: created.lookups + updated.lookups + refreshed.lookups + deleted.lookups,
    methodDescriptions: created.descriptions + updated.descriptions + refreshed.descriptions + deleted.descriptions,
  };
}
