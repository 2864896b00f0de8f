/**
 * The Pulumi host's own cost: the same creates and deletes, at the same concurrency, through the same host,
 * with the trivial provider (no HTTP, no validation). What our provider adds is the difference.
 */
import { benchEngine, createAll, deleteAll } from "./deploy";
import { peakMemoryMB, startBenchHost } from "./host-session";
import type { Population } from "./population";
import { cpuSince, processCpuMs } from "./process-cpu";

/** What the trivial provider's run measured. */
export interface BaselineRun {
  operations: number;
  hostMs: number;
  opsPerSec: number;
  hostPeakMB: number | null;
  hostCpuMs: number | null;
}

/** Creates then deletes every assignment through a fresh host running `trivialText` instead of our provider. */
export async function trivialHostRun(cwd: string, trivialText: string, population: Population, concurrency: number): Promise<BaselineRun> {
  // The trivial provider never calls out, so the URL only has to be well-formed.
  const host = await startBenchHost({ cwd, url: "http://127.0.0.1:9", token: "unused", settleMs: 0, rateLimit: "off" });
  try {
    const cpuBefore = processCpuMs(host.pid);
    const started = performance.now();
    const engine = benchEngine(host, trivialText);
    const state = await createAll(engine, population.assignments, concurrency);
    await deleteAll(engine, state, concurrency);
    const hostMs = performance.now() - started;
    const operations = population.assignments.length * 2;
    return {
      operations,
      hostMs,
      opsPerSec: operations / (hostMs / 1000),
      hostPeakMB: peakMemoryMB(host.pid),
      hostCpuMs: cpuSince(cpuBefore, processCpuMs(host.pid)),
    };
  } finally {
    await host.kill();
  }
}
