/**
 * The scale scenario's keys in bench/results.json (issue 14, "Targets"), and the targets they are read against.
 */
import type { RegisterTime } from "./register-time";
import type { OpCount, OpTimed, ScaleSequence, TimedSettings } from "./scale";
import type { CliSequence } from "./scale-cli";
import { SCALE_OPS, type ScaleOp } from "./scale-floor";
import { round } from "./stats";

/** requests ÷ floor: Slack Enterprise, and the other apps together. */
export interface SplitRatio {
  slack: number;
  others: number;
}

/** The four operations' requests ÷ floor: split for the writing ones, one figure for refresh. */
export interface FloorRatios {
  up: { requestsPerFloor: SplitRatio };
  refresh: { requestsPerFloor: number };
  update: { requestsPerFloor: SplitRatio };
  destroy: { requestsPerFloor: SplitRatio };
}

/** `scale` in results.json: the coalesced strategy's ratios at the top, the per-resource ones under `baseline`. */
export interface ScaleResults extends FloorRatios {
  baseline: FloorRatios;
  /** 429s in the timed run, every operation (the target is zero). */
  rateLimited429s: number;
  /** Wall ÷ the least the limits allow, per operation; null where the operation was not timed (details.timed says why). */
  wallRatio: Record<ScaleOp, number | null>;
  /** ms per RoleAssignment registered in one program, by the program's count of them. */
  registerMsPerResource: Record<string, number>;
  /** The coalesced counted run through the real Pulumi CLI, or why it did not run. */
  cli: CliResults | { notRun: string };
  details: {
    people: number;
    resources: number;
    concurrency: number;
    timedSettings: TimedSettings;
    /** Whether the sandbox enforced the per-token limit in the timed run (it has no `tokenRateLimit` setting before issue 14's sandbox part). */
    tokenLimitEnforced: boolean;
    counts: { coalesced: Record<ScaleOp, OpCount>; perResource: Record<ScaleOp, OpCount> };
    timed: Record<ScaleOp, OpTimed>;
    register: RegisterTime[];
  };
}

/** `scale.cli`: the coalesced strategy counted through the real CLI (`pulumi up --parallel N`, …), and each command's wall time. */
export interface CliResults extends FloorRatios {
  version: string;
  parallel: number;
  wallMs: Record<ScaleOp, number>;
  counts: Record<ScaleOp, OpCount>;
}

/** The targets of issue 14's table. */
export const SCALE_TARGETS = {
  writeSlack: 2.2,
  writeOthers: 2.05,
  refresh: 1.5,
  rateLimited429s: 0,
  wallRatio: 1.15,
  hostPeakRatio: 1.15,
  cpuPerOpRatio: 1.25,
  throughputRatio150ms: 1.05,
} as const;

const r3 = (v: number) => (Number.isFinite(v) ? round(v, 3) : NaN);

function ratios(counts: Record<ScaleOp, OpCount>): FloorRatios {
  const split = (c: OpCount): SplitRatio => ({ slack: r3(c.requestsPerFloor.slack), others: r3(c.requestsPerFloor.others) });
  return {
    up: { requestsPerFloor: split(counts.up) },
    refresh: { requestsPerFloor: r3(counts.refresh.requestsPerFloor.all) },
    update: { requestsPerFloor: split(counts.update) },
    destroy: { requestsPerFloor: split(counts.destroy) },
  };
}

/** Whether a strategy's counts meet the count targets, per operation. */
export function countTargetsMet(f: FloorRatios): Record<ScaleOp, boolean> {
  const write = (s: SplitRatio) => s.slack <= SCALE_TARGETS.writeSlack && s.others <= SCALE_TARGETS.writeOthers;
  return {
    up: write(f.up.requestsPerFloor),
    refresh: f.refresh.requestsPerFloor <= SCALE_TARGETS.refresh,
    update: write(f.update.requestsPerFloor),
    destroy: write(f.destroy.requestsPerFloor),
  };
}

/** The `scale` key from the two counted sequences, the timed one and the registration timings. */
export function scaleResults(
  perResource: ScaleSequence,
  coalesced: ScaleSequence,
  timed: ScaleSequence,
  register: RegisterTime[],
  settings: { people: number; concurrency: number; timed: TimedSettings },
  cli: CliSequence | { notRun: string },
): ScaleResults {
  const t = timed.timed!;
  const timings = Object.fromEntries(SCALE_OPS.map((op) => [op, t[op]])) as Record<ScaleOp, OpTimed>;
  return {
    ...ratios(coalesced.counts),
    baseline: ratios(perResource.counts),
    rateLimited429s: SCALE_OPS.reduce((sum, op) => sum + t[op].rateLimited429s, 0),
    wallRatio: Object.fromEntries(SCALE_OPS.map((op) => [op, t[op].wallRatio === null ? null : r3(t[op].wallRatio!)])) as Record<
      ScaleOp,
      number | null
    >,
    registerMsPerResource: Object.fromEntries(register.map((x) => [String(x.resources), round(x.msPerResource, 3)])),
    cli: "notRun" in cli ? cli : cliResults(cli),
    details: {
      people: settings.people,
      resources: settings.people * 3,
      concurrency: settings.concurrency,
      timedSettings: settings.timed,
      tokenLimitEnforced: t.tokenLimitEnforced,
      counts: { coalesced: roundCounts(coalesced.counts), perResource: roundCounts(perResource.counts) },
      timed: Object.fromEntries(
        SCALE_OPS.map((op) => [
          op,
          { ...t[op], wallMs: Number.isFinite(t[op].wallMs) ? round(t[op].wallMs, 0) : null, wallRatio: timings[op].wallRatio },
        ]),
      ) as unknown as Record<ScaleOp, OpTimed>,
      register: register.map((x) => ({ ...x, ms: round(x.ms, 0), msPerResource: round(x.msPerResource, 3) })),
    },
  };
}

function cliResults(cli: CliSequence): CliResults {
  const counts = Object.fromEntries(SCALE_OPS.map((op) => [op, cli.ops[op].count])) as Record<ScaleOp, OpCount>;
  return {
    ...ratios(counts),
    version: cli.version,
    parallel: cli.parallel,
    wallMs: Object.fromEntries(SCALE_OPS.map((op) => [op, round(cli.ops[op].wallMs, 0)])) as Record<ScaleOp, number>,
    counts: roundCounts(counts),
  };
}

function roundCounts(counts: Record<ScaleOp, OpCount>): Record<ScaleOp, OpCount> {
  const out = {} as Record<ScaleOp, OpCount>;
  for (const op of SCALE_OPS) {
    const c = counts[op];
    out[op] = {
      ...c,
      requestsPerAssignment: r3(c.requestsPerAssignment),
      requestsPerFloor: { slack: r3(c.requestsPerFloor.slack), others: r3(c.requestsPerFloor.others), all: r3(c.requestsPerFloor.all) },
      byApp: Object.fromEntries(
        Object.entries(c.byApp).map(([app, a]) => [app, { ...a, requestsPerFloor: r3(a.requestsPerFloor) }]),
      ) as OpCount["byApp"],
      hostPeakMB: c.hostPeakMB === null ? null : round(c.hostPeakMB, 1),
    };
  }
  return out;
}
