/**
 * HTTP requests per operation, counted in the sandbox's request log, for each kind of integration rule:
 * create (two roles), update (one role added, one removed), delete (two roles), and a refresh of N
 * assignments of one user. Each count has a budget derived from the integration's rules (issue 6).
 */
import type { Host } from "../test/support/host";
import { urn } from "../test/support/host";
import { checkAndCreate, checkAndUpdate, deleteStored, type Stored } from "./engine";
import type { CountCase } from "./population";
import type { SandboxProcess } from "./sandbox-process";

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
}

const LOOKUP = /^\/integrated-account\//;
const USER_READ = /^\/unified\/user-directory\/users\/(?!assign-role$|unassign-role$)[^/]+$/;

/** Requests a read-back costs: a user read, plus one page of the workspace's assignments where the rule says so. */
export function readBackCost(rule: CountRule): number {
  return rule.readBack === "role-assignments" ? 2 : 1;
}

/** Write requests for `roles` roles under the roles-per-request rule. */
export function writeCost(rule: CountRule, roles: number): number {
  return rule.rolesPerRequest === "one" ? roles : 1;
}

async function counted<T>(sandbox: SandboxProcess, run: () => Promise<T>): Promise<{ value: T; api: number; lookups: number; userReads: number }> {
  await sandbox.clearRequests();
  const value = await run();
  const log = await sandbox.requests();
  const bad = log.filter((e) => e.status === null || e.status >= 300);
  if (bad.length > 0) throw new Error(`bench: a counted request failed: ${JSON.stringify(bad[0])}`);
  const lookups = log.filter((e) => LOOKUP.test(e.path)).length;
  return { value, api: log.length - lookups, lookups, userReads: log.filter((e) => e.method === "GET" && USER_READ.test(e.path)).length };
}

/** Runs one integration's case through `host` and counts each operation's requests. */
export async function countRequests(host: Host, sandbox: SandboxProcess, providerText: string, c: CountCase, rule: CountRule, fanout: number): Promise<IntegrationCounts> {
  const readBack = readBackCost(rule);
  const created = await counted(sandbox, () => checkAndCreate(host, providerText, { name: `count-${c.integration}`, inputs: c.inputs([0, 1]) }));
  const updated = await counted(sandbox, () => checkAndUpdate(host, providerText, created.value, c.inputs([1, 2])));

  const shared: Stored[] = [];
  for (let k = 0; k < fanout; k++) shared.push(await checkAndCreate(host, providerText, { name: `count-${c.integration}-shared-${k}`, inputs: c.refreshInputs(k) }));
  // The engine refreshes resources in parallel; every one of them must still be there.
  const refreshed = await counted(sandbox, () => Promise.all(shared.map((s) => host.read(s.id, urn(s.name), s.outputs, s.inputs))));
  const gone = refreshed.value.filter((r) => r.id === "").length;
  if (gone > 0) throw new Error(`bench: ${gone} of ${fanout} ${c.integration} assignments read back as gone during the refresh count.`);

  const deleted = await counted(sandbox, () => deleteStored(host, updated.value));
  for (const s of shared) await deleteStored(host, s);

  return {
    integration: c.integration,
    create: { requests: created.api, budget: writeCost(rule, 2) + readBack },
    update: { requests: updated.api, budget: 2 + readBack },
    delete: { requests: deleted.api, budget: writeCost(rule, 2) + readBack },
    refreshUserReads: { requests: refreshed.userReads, budget: 1 },
    refreshRequests: refreshed.api,
    accountLookups: created.lookups + updated.lookups + refreshed.lookups + deleted.lookups,
  };
}
