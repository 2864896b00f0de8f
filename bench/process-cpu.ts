/**
 * CPU time used by a process, so a run can say which process its time went to (the host, the engine-side
 * driver, or the sandbox) and whether the machine was CPU-bound.
 */
import { readFileSync } from "node:fs";

// Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICK_MS = 10;

/** User + system CPU milliseconds process `pid` has used, or null where /proc is not available. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name, which may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** CPU milliseconds this process has used (user + system). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU milliseconds used between two readings, per process; null where a reading was unavailable. */
export function cpuSince(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}
