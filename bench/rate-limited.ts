/**
 * Creates on one account against a sandbox that enforces a per-account sliding-window limit, with the host
 * pacing itself to the same limit: there must be no 429s, and the wall time should be close to the least
 * the limit allows for the requests made.
 */
import { benchEngine, createAll } from "./deploy";
import { startBenchHost } from "./host-session";
import type { Population } from "./population";
import type { SandboxProcess } from "./sandbox-process";

/** The measurements of one rate-limited run. */
export interface RateLimitedRun {
  wallMs: number;
  /** Requests the sandbox counted against the limit (those under /unified). */
  limitedRequests: number;
  rateLimited429s: number;
  /** The least wall time the limit allows for `limitedRequests`: (⌈R ÷ limit⌉ − 1) windows. */
  minimumMs: number;
  /** wallMs ÷ minimumMs. */
  ratio: number;
  /**
   * Pauses of over 100 ms between consecutive limited requests reaching the sandbox. Perfect pacing pauses
   * once per window edge (⌈R ÷ limit⌉ − 1 times); more means the client waited when it need not have.
   */
  pausesOver100Ms: number;
}

/** The least time `requests` can take under `limit` per `windowMs` in any sliding window, starting at once. */
export function minimumWallMs(requests: number, limit: number, windowMs: number): number {
  return Math.max(0, Math.ceil(requests / limit) - 1) * windowMs;
}

/** One run: fresh host with TRUTO_RATE_LIMIT "<limit>/<seconds>", sandbox limiting to the same, all creates at `concurrency`. */
export async function rateLimitedRun(
  sandbox: SandboxProcess,
  cwd: string,
  providerText: string,
  population: Population,
  limit: { limit: number; windowMs: number },
  concurrency: number,
  settleMs: number,
): Promise<RateLimitedRun> {
  await sandbox.configure({ latencyMs: 0, rateLimit: { limit: limit.limit, windowMs: limit.windowMs } });
  await sandbox.putState(population.state);
  await sandbox.clearRequests();
  const host = await startBenchHost({
    cwd,
    url: sandbox.url,
    token: sandbox.token,
    settleMs,
    rateLimit: `${limit.limit}/${limit.windowMs / 1000}`,
  });
  let wallMs: number;
  try {
    const started = performance.now();
    await createAll(benchEngine(host, providerText), population.assignments, concurrency);
    wallMs = performance.now() - started;
  } finally {
    await host.kill();
    await sandbox.configure({ rateLimit: false });
  }
  const log = await sandbox.requests();
  const limited = log.filter((e) => e.path.startsWith("/unified/"));
  const minimumMs = minimumWallMs(limited.length, limit.limit, limit.windowMs);
  const arrivals = limited.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  const pausesOver100Ms = arrivals.filter((t, i) => i > 0 && t - arrivals[i - 1] > 100).length;
  return {
    wallMs,
    limitedRequests: limited.length,
    rateLimited429s: log.filter((e) => e.status === 429).length,
    minimumMs,
    ratio: minimumMs > 0 ? wallMs / minimumMs : NaN,
    pausesOver100Ms,
  };
}
