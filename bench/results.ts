/**
 * The shape of bench/results.json: the headline figures issue 6 names, then the runs behind them.
 */
import type { ProfileSummary } from "./cpu-profile";
import type { BaselineRun } from "./host-baseline";
import type { MachineInfo } from "./machine";
import type { RateLimitedRun } from "./rate-limited";
import type { ScaleResults } from "./scale-results";
import type { IntegrationCounts } from "./request-counts";
import type { StartPair } from "./start-time";
import type { ThroughputRun } from "./throughput";

/** Everything one `npm run bench` measured. Each headline figure is the median of `details` runs. */
export interface BenchResults {
  /** UTF-8 bytes of `__provider` per RoleAssignment (state stores it twice: inputs and outputs). */
  providerBytes: number;
  /** Host start to first Check answered, ours ÷ a trivial dynamic provider. */
  startRatio: number;
  /** Creates then deletes through the host ÷ the same requests replayed with undici, latency added. */
  throughputRatio: number;
  /** Creates + deletes per second through the host with no added latency. */
  cpuBoundOpsPerSec: number;
  /** Requests per operation for a JumpCloud assignment (user read-back, many roles per request). */
  requestsPerOp: { create: number; update: number; delete: number; refresh: number };
  /** 429s across every rate-limited run (the target is zero). */
  rateLimited429s: number;
  /** Wall time ÷ the least the rate limit allows. */
  rateLimitedWallRatio: number;
  /** The host's VmHWM in the latency runs, MB. */
  hostPeakMB: number | null;
  /** Host VmHWM in the CPU-bound runs ÷ the sized do-nothing provider's host under the same load (issue 14). */
  hostPeakRatio: number | null;
  /** Host CPU per op ÷ (the sized do-nothing provider's host CPU per op + raw undici's CPU per op for the same requests). */
  cpuPerOpRatio: number | null;
  /** As throughputRatio, with the sandbox answering after 150 ms. */
  throughputRatio150ms: number;
  /** The scale scenario (issue 14). */
  scale: ScaleResults;
  machine: MachineInfo;
  node: string;
  date: string;
  /** Which plan ran ("full" or "smoke"); only "full" numbers belong in the README. */
  plan: string;
  details: {
    providerBytesPerResource: number[];
    providerTextIdentical: boolean;
    startPairs: StartPair[];
    throughputRuns: ThroughputRun[];
    cpuBoundRuns: ThroughputRun[];
    /** The same load as cpuBoundRuns through the same host with the trivial provider: Pulumi's own share. */
    trivialHostRuns: BaselineRun[];
    /** The same load on a do-nothing provider whose outputs have our outputs' shape and size (trivial-provider.ts). */
    sizedTrivialHostRuns: BaselineRun[];
    /** Throughput runs with the plan's slow latency (150 ms in the full plan). */
    slowLatencyRuns: ThroughputRun[];
    /** The CPU-bound run with the host under the V8 sampling profiler (not counted in cpuBoundOpsPerSec). */
    profiledRun?: ThroughputRun;
    profile?: ProfileSummary;
    requestCounts: IntegrationCounts[];
    rateLimitedRuns: RateLimitedRun[];
    /** All requests of a throughput run ÷ its operations (account lookups included). */
    requestsPerOpAmortised: number;
    hostPeakMBMax: number | null;
    settings: {
      assignments: number;
      concurrency: number;
      latencyMs: number;
      settleMs: number;
      refreshFanout: number;
      rateLimit: string;
      runs: number;
      slowLatency: { latencyMs: number; assignments: number; runs: number };
    };
  };
}
