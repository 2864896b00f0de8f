/**
 * What machine the numbers came from, and how busy it was when the run started.
 */
import * as os from "node:os";

/** The machine block of results.json. */
export interface MachineInfo {
  cpus: number;
  model: string;
  /** Total memory, GB. */
  memory: number;
  /** 1, 5 and 15 minute load averages at the start: other work on the machine skews every figure. */
  loadAverage: number[];
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? "unknown",
    memory: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
