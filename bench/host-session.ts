/**
 * Starts the real provider host the way the engine would for a stack that uses the sandbox, with the
 * settings each scenario needs, and reads the host's peak memory from /proc.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { startHost, type Host } from "../tools/engine/host";

/** Where the host finds the sandbox and how it paces and settles. */
export interface BenchHostOptions {
  /** The consumer project directory (the program's directory). */
  cwd: string;
  url: string;
  token: string;
  /** TRUTO_SETTLE_MS. */
  settleMs: number;
  /** TRUTO_RATE_LIMIT: "off", or e.g. "50/1". */
  rateLimit: string;
  /**
   * TRUTO_TOKEN_RATE_LIMIT: "off", or e.g. "500/1". Default "off": the client's own default (500 per 10 s)
   * would otherwise pace every scenario that means to run with the rate limit off.
   */
  tokenRateLimit?: string;
  /** How long the engine model waits for one RPC's answer; default 60 s. */
  rpcDeadlineMs?: number;
  /** When set, the host runs under the V8 sampling profiler and writes a .cpuprofile here when killed. */
  profileDir?: string;
  /** TRUTO_READ_STRATEGY for the host; default `per-resource` (a value inherited from the shell never applies). */
  readStrategy?: "coalesced" | "per-resource";
}

/** The preload that profiles the host (Node refuses --cpu-prof in NODE_OPTIONS; see the file). */
export const PROFILE_PRELOAD = path.join(__dirname, "cpu-profile-preload.js");

/** Starts and configures a provider host; the caller kills it. */
export async function startBenchHost(opts: BenchHostOptions): Promise<Host> {
  const env: Record<string, string | undefined> = {
    TRUTO_API_TOKEN: opts.token,
    TRUTO_BASE_URL: opts.url,
    TRUTO_RATE_LIMIT: opts.rateLimit,
    TRUTO_TOKEN_RATE_LIMIT: opts.tokenRateLimit ?? "off",
    TRUTO_SETTLE_MS: String(opts.settleMs),
    // The product default applies; a value inherited from the shell would skew the request counts.
    TRUTO_READ_CACHE_MS: undefined,
    // Issue 6's scenarios measure the host per operation, one request pattern per operation: reads one by
    // one keep that pattern (and its counts) exact. The scale scenario compares both strategies.
    TRUTO_READ_STRATEGY: opts.readStrategy ?? "per-resource",
    NODE_OPTIONS: opts.profileDir ? `--require "${PROFILE_PRELOAD}"` : undefined,
    BENCH_CPU_PROF_DIR: opts.profileDir,
  };
  const host = await startHost({ cwd: opts.cwd, env, deadlineMs: opts.rpcDeadlineMs ?? 60_000 });
  try {
    await host.configure({});
  } catch (error) {
    await host.kill();
    throw error;
  }
  return host;
}

/** The peak resident set (VmHWM) of process `pid` in MB, or null where /proc is not available. */
export function peakMemoryMB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts the profiler in a host started with `profileDir` (SIGUSR2), and waits until it says it runs. */
export async function startProfiling(host: Host): Promise<void> {
  process.kill(host.pid, "SIGUSR2");
  // Bounded: 100 polls of 20 ms; the preload answers within a tick of the signal.
  for (let i = 0; i < 100; i++) {
    if (host.output().includes("cpu-profile-preload: profiling")) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`bench: the host (pid ${host.pid}) did not start profiling within 2 s of SIGUSR2. Its output:\n${host.output()}`);
}
