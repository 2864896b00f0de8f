/**
 * One throughput run: N creates then N deletes through the real provider host against the sandbox, then
 * the very same HTTP requests replayed with undici against the same state, side by side.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { benchEngine, createAll, deleteAll, newTimings } from "./deploy";
import { peakMemoryMB, startBenchHost, startProfiling } from "./host-session";
import type { Population } from "./population";
import { cpuSince, ownCpuMs, processCpuMs } from "./process-cpu";
import { compareLogs, replay } from "./replay";
import { failedRequests } from "./request-counts";
import type { SandboxProcess } from "./sandbox-process";
import { percentiles, type Percentiles } from "./stats";

/** What the scenario needs that outlives one run. */
export interface ThroughputContext {
  sandbox: SandboxProcess;
  /** The consumer project the host runs in. */
  cwd: string;
  /** The `__provider` text a real program sends. */
  providerText: string;
  concurrency: number;
  settleMs: number;
}

/** The measurements of one run. */
export interface ThroughputRun {
  latencyMs: number;
  operations: number;
  hostMs: number;
  replayMs: number;
  /** hostMs ÷ replayMs. */
  ratio: number;
  /** Operations (creates + deletes) per second through the host. */
  opsPerSec: number;
  /** The host's VmHWM after the run, MB (null off Linux). */
  hostPeakMB: number | null;
  /** API requests the host's run made (and the replay repeated). */
  requests: number;
  /** Requests answered 429 in the host's run. */
  rateLimited: number;
  /** CPU ms used while the host's run went on: the host, this driver (the engine's side), the sandbox. */
  cpuMs: { host: number | null; driver: number; sandbox: number | null };
  /** RPC durations as the engine's side saw them, and the replay's per-request durations, ms. */
  latency: { check: Percentiles; create: Percentiles; delete: Percentiles; replayRequest: Percentiles };
  /** CPU ms used during the replay: the replaying client and the sandbox. */
  replayCpuMs: { client: number; sandbox: number | null };
  /** The CPU profile the host wrote, when the run was profiled. */
  profileFile?: string;
  /** The outputs our provider stored for the second assignment (two roles), `__provider` left out: the sized do-nothing provider's template. */
  sampleOutputs?: Record<string, unknown>;
}

/** Runs creates then deletes through a fresh host, then replays its requests; throws if the replay is not faithful. */
export async function throughputRun(
  ctx: ThroughputContext,
  population: Population,
  latencyMs: number,
  profileDir?: string,
): Promise<ThroughputRun> {
  const { sandbox } = ctx;
  await sandbox.configure({ latencyMs, rateLimit: false });
  await sandbox.putState(population.state);
  await sandbox.clearRequests();
  const host = await startBenchHost({
    cwd: ctx.cwd,
    url: sandbox.url,
    token: sandbox.token,
    settleMs: ctx.settleMs,
    rateLimit: "off",
    profileDir,
  });
  let hostMs: number;
  let hostPeak: number | null;
  let cpuMs: ThroughputRun["cpuMs"];
  let sampleOutputs: Record<string, unknown> | undefined;
  const timings = newTimings();
  try {
    if (profileDir) await startProfiling(host);
    const before = { host: processCpuMs(host.pid), driver: ownCpuMs(), sandbox: processCpuMs(sandbox.pid) };
    const started = performance.now();
    const engine = benchEngine(host, ctx.providerText, timings);
    const state = await createAll(engine, population.assignments, ctx.concurrency);
    const { __provider: _shim, ...outputs } = [...state.resources.values()][1]?.outputs ?? {};
    sampleOutputs = outputs;
    await deleteAll(engine, state, ctx.concurrency);
    hostMs = performance.now() - started;
    cpuMs = {
      host: cpuSince(before.host, processCpuMs(host.pid)),
      driver: ownCpuMs() - before.driver,
      sandbox: cpuSince(before.sandbox, processCpuMs(sandbox.pid)),
    };
    hostPeak = peakMemoryMB(host.pid);
  } finally {
    await host.kill();
  }
  const log = await sandbox.requests();
  const unanswered = failedRequests(log);
  if (unanswered.length > 0) {
    throw new Error(
      `bench: ${unanswered.length} of ${log.length} requests in the host's run failed (first: ${JSON.stringify(unanswered[0])}).`,
    );
  }

  // The same starting state, so every replayed request does the same work and gets the same answer.
  await sandbox.putState(population.state);
  await sandbox.clearRequests();
  const replayBefore = { client: ownCpuMs(), sandbox: processCpuMs(sandbox.pid) };
  const replayed = await replay(sandbox.url, sandbox.token, log, ctx.concurrency);
  const replayCpuMs = { client: ownCpuMs() - replayBefore.client, sandbox: cpuSince(replayBefore.sandbox, processCpuMs(sandbox.pid)) };
  const replayLog = await sandbox.requests();
  const differences = compareLogs(log, replayLog);
  const ordered = [...log].sort((a, b) => a.seq - b.seq);
  const statusDiffs = ordered.filter((e, i) => e.status !== replayed.statuses[i]).length;
  if (differences.length > 0 || statusDiffs > 0) {
    throw new Error(
      `bench: the replay did not repeat the host's requests faithfully (${statusDiffs} status differences; ${differences.length} request differences):\n${differences.slice(0, 5).join("\n")}`,
    );
  }
  const operations = population.assignments.length * 2;
  return {
    latencyMs,
    operations,
    hostMs,
    replayMs: replayed.wallMs,
    ratio: hostMs / replayed.wallMs,
    opsPerSec: operations / (hostMs / 1000),
    hostPeakMB: hostPeak,
    requests: log.length,
    rateLimited: log.filter((e) => e.status === 429).length,
    cpuMs,
    latency: {
      check: percentiles(timings.check),
      create: percentiles(timings.create),
      delete: percentiles(timings.delete),
      replayRequest: percentiles(replayed.requestMs),
    },
    replayCpuMs,
    profileFile: profileDir ? await findProfile(profileDir) : undefined,
    sampleOutputs,
  };
}

async function findProfile(dir: string): Promise<string> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`bench: the profiled host wrote no .cpuprofile into ${dir}; did it exit through SIGTERM?`);
  return path.join(dir, files.sort().at(-1)!);
}
