import type { TimedSettings } from "./scale";

/**
 * The sizes of one benchmark run. The full plan is what `npm run bench` measures (issue 6); the smoke
 * plan runs every scenario with small numbers so a test can prove the machinery in well under two minutes.
 */

/** The scale scenario (issue 14): the generated org, counted with both read strategies, then timed under the limits. */
export interface ScalePlan {
  /** People in the generated org; each holds one RoleAssignment per app (three apps). */
  people: number;
  /** The engine's `--parallel`. */
  concurrency: number;
  /** The timed run: both Truto limits in compressed windows, latency, and how long one operation may run. */
  timed: TimedSettings;
  /** Programs registering this many RoleAssignments are timed (`scale.registerMsPerResource`), to show it is linear. */
  register: [number, number];
  /** The coalesced counted run again through the real Pulumi CLI (`--parallel` = concurrency), where it is on PATH (`scale.cli`). */
  cli: boolean;
}

/** How big each scenario is and how often it repeats. */
export interface BenchPlan {
  /** A name for the printed header. */
  name: string;
  /** Repeats of each measured figure; the figure is their median (at least 3). */
  runs: number;
  /** Host start-up pairs (ours and a trivial provider, side by side); their ratios' median is reported. */
  startPairs: number;
  /** Assignments created, then deleted, per throughput run. */
  assignments: number;
  /** RPCs in flight at once, as the engine's `--parallel`; the replay uses the same. */
  concurrency: number;
  /** Delay the sandbox adds to every API answer in the throughput runs. */
  latencyMs: number;
  /** TRUTO_SETTLE_MS for the host: how long a read-back may poll; small but real. */
  settleMs: number;
  /** Assignments of one user refreshed together, to count user reads. */
  refreshFanout: number;
  /** The rate-limited scenario: creates on one account against a sandbox that allows `limit` per `windowMs`. */
  rateLimited: { creates: number; limit: number; windowMs: number };
  /** Throughput runs as above with the sandbox answering after `latencyMs` (`throughputRatio150ms`). */
  slowLatency: { latencyMs: number; assignments: number; runs: number };
  scale: ScalePlan;
  /** Whether to add one profiled run (the V8 sampling profiler in the host, as --cpu-prof) to the CPU-bound scenario. */
  profile: boolean;
}

/** The numbers issue 6 asks for; about three and a half minutes on a two-core machine. Five runs, not three, because shared machines are noisy. */
export const FULL_PLAN: BenchPlan = {
  name: "full",
  runs: 5,
  startPairs: 7,
  assignments: 1_000,
  concurrency: 16,
  latencyMs: 20,
  settleMs: 500,
  refreshFanout: 5,
  rateLimited: { creates: 300, limit: 50, windowMs: 1_000 },
  // 400, not 1,000: at 150 ms a run of 1,000 takes over a minute, host and replay, and the ratio does not depend on the count.
  slowLatency: { latencyMs: 150, assignments: 400, runs: 3 },
  scale: {
    people: 1_000,
    concurrency: 16,
    timed: { account: { limit: 50, windowMs: 1_000 }, token: { limit: 500, windowMs: 1_000 }, latencyMs: 150, maxWallMs: 150_000 },
    register: [1_000, 3_000],
    cli: true,
  },
  profile: true,
};

/** Every scenario with small numbers: for the smoke test and a quick look while developing. */
export const SMOKE_PLAN: BenchPlan = {
  name: "smoke",
  runs: 3,
  startPairs: 3,
  assignments: 40,
  concurrency: 4,
  latencyMs: 5,
  settleMs: 500,
  refreshFanout: 3,
  rateLimited: { creates: 20, limit: 10, windowMs: 500 },
  slowLatency: { latencyMs: 150, assignments: 5, runs: 3 },
  // 30 people: 90 resources; every listing fits in one page, so the per-resource counts are exact (test/bench).
  scale: {
    people: 30,
    concurrency: 16,
    timed: { account: { limit: 40, windowMs: 250 }, token: { limit: 200, windowMs: 250 }, latencyMs: 20, maxWallMs: 10_000 },
    register: [30, 90],
    cli: true,
  },
  profile: true,
};
