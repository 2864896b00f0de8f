/**
 * The scale scenario of issue 14: the generated org (scale-population.ts) driven through the real provider host
 * at the engine's `--parallel`, one fresh host per operation as each `pulumi` command starts its own: create all,
 * refresh all, change 10% of the roles, destroy all. Each operation's requests are read from the sandbox's log and
 * set against its floor (scale-floor.ts). A sequence runs either counted (no limits, no latency) or timed (the
 * sandbox enforcing Truto's limits in compressed windows, with latency, and the host pacing itself to them).
 */
import { destroy, newStackState, refresh, up, type Engine, type StackState, type StateEntry } from "../tools/engine/deployment";
import type { LoggedRequest, SandboxSettings, SandboxState } from "../src/sandbox";
import { benchEngine } from "./deploy";
import { peakMemoryMB, startBenchHost } from "./host-session";
import { minimumWallMs } from "./rate-limited";
import { failedRequests, LOOKUP } from "./request-counts";
import { floorsOf, SCALE_OPS, type ScaleOp } from "./scale-floor";
import { ACCOUNT_OF, PAGE_SIZE, SCALE_APPS, type ScaleApp, type ScaleOrg } from "./scale-population";
import type { SandboxProcess } from "./sandbox-process";

export type ReadStrategy = "coalesced" | "per-resource";

/** A sliding-window limit: `limit` requests in any `windowMs`. */
export interface Limit {
  limit: number;
  windowMs: number;
}

/** What a timed sequence enforces. */
export interface TimedSettings {
  /** Per integrated account, in the sandbox and in the host's TRUTO_RATE_LIMIT. */
  account: Limit;
  /** Per API token, in the sandbox (`tokenRateLimit`, where it has it) and in the host's TRUTO_TOKEN_RATE_LIMIT. */
  token: Limit;
  latencyMs: number;
  /** How long one timed operation may run; one whose counted minimum × 1.15 is longer is not run (see timedSequence). */
  maxWallMs: number;
}

/** One app's share of an operation. */
export interface AppCount {
  resources: number;
  requests: number;
  floor: number;
  requestsPerFloor: number;
}

/** One operation's requests, as the sandbox logged them. */
export interface OpCount {
  /** API requests, the once-per-process lookups not included. */
  requests: number;
  /** `GET /integrated-account/{id}` and `GET users/meta/{method}`: once per host process, counted apart. */
  lookups: number;
  /** Every request (lookups too) by `METHOD endpoint`, ids replaced by placeholders. */
  byEndpoint: Record<string, number>;
  byApp: Record<ScaleApp, AppCount>;
  /** Requests under /unified per integrated account: what the per-account limit counts. */
  limitedByAccount: Record<string, number>;
  floor: number;
  /** The resources the operation acted on (for update, those whose roles changed). */
  resources: number;
  requestsPerAssignment: number;
  /** requests ÷ floor: Slack Enterprise, and the other apps together. */
  requestsPerFloor: { slack: number; others: number; all: number };
  rateLimited429s: number;
  /** The host's VmHWM at the end of the operation, MB (null off Linux). */
  hostPeakMB: number | null;
}

/** One operation timed under the limits. */
export interface OpTimed {
  wallMs: number;
  /** The least time the limits allow for the requests made (see minimumUnder); null when not timed. */
  minimumMs: number | null;
  /** wallMs ÷ minimumMs; null when the operation was not timed. */
  wallRatio: number | null;
  rateLimited429s: number;
  requests: number;
  /** Why the operation was run without limits instead of timed, when it was. */
  notTimed?: string;
}

/** A whole sequence: each operation's counts, and its timing when the sequence was timed. */
export interface ScaleSequence {
  strategy: ReadStrategy;
  counts: Record<ScaleOp, OpCount>;
  timed?: Record<ScaleOp, OpTimed> & { tokenLimitEnforced: boolean };
}

/** The endpoint a logged request went to, ids replaced by placeholders: `GET users/{id}`, `POST users/assign-role`, … */
export function endpointOf(entry: Pick<LoggedRequest, "method" | "path">): string {
  const path = entry.path
    .replace(/^\/unified\/user-directory\//, "")
    .replace(/^\/integrated-account\/[^/]+$/, "integrated-account/{id}")
    .replace(/^users\/meta\/[^/]+$/, "users/meta/{method}")
    .replace(/^users\/(?!assign-role$|unassign-role$|meta\/|\{)[^/]+$/, "users/{id}");
  return `${entry.method} ${path}`;
}

function appOf(entry: LoggedRequest): ScaleApp | undefined {
  const account = entry.integratedAccountId ?? /^\/integrated-account\/([^/?]+)/.exec(entry.path)?.[1];
  return SCALE_APPS.find((app) => ACCOUNT_OF[app] === account);
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Counts one operation's log against its floor. */
export function countOp(org: ScaleOrg, op: ScaleOp, log: readonly LoggedRequest[], hostPeakMB: number | null): OpCount {
  const floors = floorsOf(org, op);
  const byEndpoint: Record<string, number> = {};
  const limitedByAccount: Record<string, number> = {};
  const requestsOf = Object.fromEntries(SCALE_APPS.map((a) => [a, 0])) as Record<ScaleApp, number>;
  let lookups = 0;
  for (const e of log) {
    const endpoint = endpointOf(e);
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
    if (e.path.startsWith("/unified/") && e.integratedAccountId)
      limitedByAccount[e.integratedAccountId] = (limitedByAccount[e.integratedAccountId] ?? 0) + 1;
    if (LOOKUP.test(e.path)) {
      lookups++;
      continue;
    }
    const app = appOf(e);
    if (!app) throw new Error(`bench: a scale request named no account of the scale org: ${JSON.stringify(e)}`);
    requestsOf[app]++;
  }
  const byApp = Object.fromEntries(
    SCALE_APPS.map((app) => [
      app,
      { ...floors[app], requests: requestsOf[app], requestsPerFloor: ratio(requestsOf[app], floors[app].floor) },
    ]),
  ) as Record<ScaleApp, AppCount>;
  const others = SCALE_APPS.filter((a) => a !== "slackenterprise");
  const sum = (apps: readonly ScaleApp[], pick: (c: AppCount) => number) => apps.reduce((s, a) => s + pick(byApp[a]), 0);
  const requests = sum(SCALE_APPS, (c) => c.requests);
  const floor = sum(SCALE_APPS, (c) => c.floor);
  const resources = sum(SCALE_APPS, (c) => c.resources);
  return {
    requests,
    lookups,
    byEndpoint: Object.fromEntries(Object.entries(byEndpoint).sort(([a], [b]) => a.localeCompare(b))),
    byApp,
    limitedByAccount,
    floor,
    resources,
    requestsPerAssignment: ratio(requests, resources),
    requestsPerFloor: {
      slack: byApp.slackenterprise.requestsPerFloor,
      others: ratio(
        sum(others, (c) => c.requests),
        sum(others, (c) => c.floor),
      ),
      all: ratio(requests, floor),
    },
    rateLimited429s: log.filter((e) => e.status === 429).length,
    hostPeakMB,
  };
}

/**
 * The least time `count`'s requests can take under `timed`: each account's requests under its limit, all of them
 * under the token's (when the sandbox enforces it), each from the moment the first is sent (minimumWallMs),
 * plus one latency for the last answer to come back.
 */
export function minimumUnder(
  count: Pick<OpCount, "limitedByAccount" | "requests" | "lookups">,
  timed: TimedSettings,
  tokenLimit: boolean,
): number {
  const perAccount = Object.values(count.limitedByAccount).map((n) => minimumWallMs(n, timed.account.limit, timed.account.windowMs));
  const token = tokenLimit ? minimumWallMs(count.requests + count.lookups, timed.token.limit, timed.token.windowMs) : 0;
  return Math.max(0, token, ...perAccount) + timed.latencyMs;
}

/**
 * PATCH /_sandbox/config with both limits; a sandbox that has no `tokenRateLimit` setting yet refuses the key, and
 * is then configured without it. Resolves to whether the token limit is set as asked.
 */
export async function configureLimits(
  sandbox: SandboxProcess,
  latencyMs: number,
  account: Limit | false,
  token: Limit | false,
): Promise<boolean> {
  try {
    await sandbox.configure({ latencyMs, rateLimit: account, tokenRateLimit: token } as Partial<SandboxSettings>);
    return true;
  } catch (error) {
    if (!/tokenRateLimit/i.test((error as Error).message)) throw error;
    await sandbox.configure({ latencyMs, rateLimit: account });
    return false;
  }
}

/** What a sequence needs that outlives one operation. */
export interface ScaleContext {
  sandbox: SandboxProcess;
  cwd: string;
  providerText: string;
  concurrency: number;
  settleMs: number;
  log?: (line: string) => void;
}

async function runOp(engine: Engine, org: ScaleOrg, op: ScaleOp, state: StackState, parallel: number): Promise<void> {
  if (op === "up" || op === "update") {
    const program = (op === "up" ? org.resources : org.changed).map((r) => engine.resource(r.name, r.inputs));
    const steps = await up(engine, state, program, { parallel });
    const want = op === "up" ? org.resources.length : org.changed.filter((r, i) => r.roles.join() !== org.resources[i].roles.join()).length;
    const took = steps.filter((s) => s.op === (op === "up" ? "create" : "update")).length;
    if (took !== want) throw new Error(`bench: scale ${op} ran ${took} ${op === "up" ? "creates" : "updates"}, expected ${want}.`);
  } else if (op === "refresh") {
    const steps = await refresh(engine, state, { parallel });
    const failed = steps.find((s) => s.kind !== "ok");
    if (failed) throw new Error(`bench: scale refresh of ${failed.name} failed: ${failed.error?.message}`);
    if (state.resources.size !== org.resources.length)
      throw new Error(`bench: scale refresh dropped ${org.resources.length - state.resources.size} resources that exist.`);
  } else {
    await destroy(engine, state, { parallel });
    if (state.resources.size !== 0) throw new Error(`bench: scale destroy left ${state.resources.size} resources.`);
  }
}

function checkLog(log: readonly LoggedRequest[], op: ScaleOp, allow429: boolean): void {
  const bad = failedRequests(log, allow429);
  if (bad.length > 0) throw new Error(`bench: ${bad.length} requests of scale ${op} failed (first: ${JSON.stringify(bad[0])}).`);
  for (const e of log) {
    const endpoint = e.method === "GET" ? /\/(users|role_assignments)$/.exec(e.path)?.[1] : undefined;
    const pageSize = endpoint === undefined ? undefined : PAGE_SIZE[endpoint as keyof typeof PAGE_SIZE];
    if (pageSize !== undefined && Number(e.query.limit) !== pageSize)
      throw new Error(
        `bench: a ${endpoint} listing asked for limit ${JSON.stringify(e.query.limit)}, but the floor counts pages of ${pageSize}.`,
      );
  }
}

/** Where an operation starts: the sandbox's state and the stack's, as the previous operation left them. */
export interface ScaleStart {
  sandbox: SandboxState;
  stack: StateEntry[];
}

/** A counted sequence, and the start of each operation, so a timed operation can begin from the same place. */
export interface CountedSequence extends ScaleSequence {
  starts: Record<ScaleOp, ScaleStart>;
}

interface OpRun {
  count: OpCount;
  wallMs: number;
  /** Set when the operation was stopped at its deadline: its host was killed. */
  aborted?: boolean;
  /** Set when the deployment failed (a timed run only): the first failure. */
  failed?: string;
}

/** One operation through a fresh host, its requests counted; with `deadlineMs`, the host is killed once it has run that long. */
async function oneOp(
  ctx: ScaleContext,
  org: ScaleOrg,
  op: ScaleOp,
  state: StackState,
  host: {
    strategy: ReadStrategy;
    rateLimit: string;
    tokenRateLimit: string;
    allow429: boolean;
    deadlineMs?: number;
    rpcDeadlineMs?: number;
  },
): Promise<OpRun> {
  const { sandbox } = ctx;
  await sandbox.clearRequests();
  const h = await startBenchHost({
    cwd: ctx.cwd,
    url: sandbox.url,
    token: sandbox.token,
    settleMs: ctx.settleMs,
    rateLimit: host.rateLimit,
    tokenRateLimit: host.tokenRateLimit,
    readStrategy: host.strategy,
    rpcDeadlineMs: host.rpcDeadlineMs,
  });
  let wallMs: number;
  let peak: number | null = null;
  let aborted = false;
  let failed: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const started = performance.now();
    const run = runOp(benchEngine(h, ctx.providerText), org, op, state, ctx.concurrency);
    if (host.deadlineMs === undefined) await run;
    else {
      const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), host.deadlineMs)));
      // A timed operation that fails is reported as failed, not timed; the other operations still run.
      const outcome = await Promise.race([
        run.then(
          () => "done" as const,
          (e: unknown) => e as Error,
        ),
        deadline,
      ]);
      if (outcome === "deadline") {
        aborted = true;
        peak = peakMemoryMB(h.pid);
        await h.kill();
        await run.catch(() => undefined);
      } else if (outcome !== "done") failed = String(outcome?.message ?? outcome).slice(0, 500);
    }
    wallMs = performance.now() - started;
    peak ??= peakMemoryMB(h.pid);
  } finally {
    clearTimeout(timer);
    await h.kill();
  }
  const log = await sandbox.requests();
  if (!aborted && !failed) checkLog(log, op, host.allow429);
  return { count: countOp(org, op, log, peak), wallMs, ...(aborted ? { aborted } : {}), ...(failed ? { failed } : {}) };
}

function logOp(ctx: ScaleContext, label: string, op: ScaleOp, run: OpRun, extra = ""): void {
  const c = run.count;
  ctx.log?.(
    `scale ${label} ${op}: ${c.requests} requests + ${c.lookups} lookups, floor ${c.floor} ` +
      `(requests ÷ floor: Slack ${c.requestsPerFloor.slack.toFixed(2)}, others ${c.requestsPerFloor.others.toFixed(2)}), ` +
      `${run.wallMs.toFixed(0)} ms${extra}${c.rateLimited429s ? `, ${c.rateLimited429s} × 429` : ""}`,
  );
}

/** Runs the four operations in order with `strategy` from the org's starting state, with no limits and no latency, and counts them. */
export async function countedSequence(ctx: ScaleContext, org: ScaleOrg, strategy: ReadStrategy): Promise<CountedSequence> {
  const { sandbox } = ctx;
  await configureLimits(sandbox, 0, false, false);
  await sandbox.putState(org.state);
  const state = newStackState();
  const counts = {} as Record<ScaleOp, OpCount>;
  const starts = {} as Record<ScaleOp, ScaleStart>;
  for (const op of SCALE_OPS) {
    starts[op] = { sandbox: await sandbox.state(), stack: [...state.resources.values()] };
    const run = await oneOp(ctx, org, op, state, { strategy, rateLimit: "off", tokenRateLimit: "off", allow429: false });
    counts[op] = run.count;
    logOp(ctx, strategy, op, run);
  }
  return { strategy, counts, starts };
}

/**
 * Times each operation with `counted.strategy` under `timed`'s limits and latency, each from where the counted
 * run began it (so one that is not timed, or stopped, does not change the others). An operation whose counted
 * minimum × 1.15 would not fit in `timed.maxWallMs` is not run; one that runs longer than that is stopped there.
 */
export async function timedSequence(
  ctx: ScaleContext,
  org: ScaleOrg,
  counted: CountedSequence,
  timed: TimedSettings,
): Promise<ScaleSequence> {
  const { sandbox } = ctx;
  const timings = {} as Record<ScaleOp, OpTimed>;
  const counts = {} as Record<ScaleOp, OpCount>;
  let tokenLimitEnforced = false;
  for (const op of SCALE_OPS) {
    const predicted = minimumUnder(counted.counts[op], timed, true);
    if (predicted * 1.15 > timed.maxWallMs) {
      const why = `its counted requests need at least ${(predicted / 1000).toFixed(0)} s under the limits; the plan allows ${(timed.maxWallMs / 1000).toFixed(0)} s per operation`;
      timings[op] = { wallMs: NaN, minimumMs: predicted, wallRatio: null, rateLimited429s: 0, requests: 0, notTimed: why };
      counts[op] = counted.counts[op];
      ctx.log?.(`scale ${counted.strategy} (timed) ${op}: not timed: ${why}`);
      continue;
    }
    await configureLimits(sandbox, 0, false, false);
    await sandbox.putState(counted.starts[op].sandbox);
    tokenLimitEnforced = await configureLimits(sandbox, timed.latencyMs, timed.account, timed.token);
    const state = newStackState(counted.starts[op].stack);
    const run = await oneOp(ctx, org, op, state, {
      strategy: counted.strategy,
      rateLimit: `${timed.account.limit}/${timed.account.windowMs / 1000}`,
      tokenRateLimit: `${timed.token.limit}/${timed.token.windowMs / 1000}`,
      allow429: true,
      deadlineMs: timed.maxWallMs,
      // The CLI waits for an RPC as long as it takes; under the limits one may wait its turn for over a minute.
      rpcDeadlineMs: timed.maxWallMs + 10_000,
    });
    await configureLimits(sandbox, 0, false, false);
    const c = run.count;
    const minimumMs = minimumUnder(c, timed, tokenLimitEnforced);
    counts[op] = c;
    if (run.failed) {
      timings[op] = {
        wallMs: run.wallMs,
        minimumMs,
        wallRatio: null,
        rateLimited429s: c.rateLimited429s,
        requests: c.requests + c.lookups,
        notTimed: `failed: ${run.failed}`,
      };
      ctx.log?.(`scale ${counted.strategy} (timed) ${op}: FAILED after ${run.wallMs.toFixed(0)} ms: ${run.failed}`);
      continue;
    }
    timings[op] = {
      wallMs: run.wallMs,
      minimumMs,
      wallRatio: run.wallMs / minimumMs,
      rateLimited429s: c.rateLimited429s,
      requests: c.requests + c.lookups,
      ...(run.aborted
        ? { notTimed: `stopped at the plan's ${(timed.maxWallMs / 1000).toFixed(0)} s: the ratio is at least the one shown` }
        : {}),
    };
    logOp(ctx, `${counted.strategy} (timed)`, op, run, `, minimum ${minimumMs.toFixed(0)} ms, ratio ${timings[op].wallRatio!.toFixed(3)}`);
  }
  return { strategy: counted.strategy, counts, timed: { ...timings, tokenLimitEnforced } };
}
