/**
 * Summarises a V8 `.cpuprofile` (as node --cpu-prof writes): self time per function and per package, so the report
 * says where the host's time goes without opening a profiler.
 */
import { promises as fs } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of the summary: a function or a package, its self time and its share of busy time. */
export interface SelfTime {
  name: string;
  ms: number;
  /** Percent of the profile's busy (non-idle) time. */
  percent: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  /** Sampled time, ms, idle included. */
  totalMs: number;
  /** Sampled time the thread was not idle, ms. */
  busyMs: number;
  /** The functions with the most self time. */
  topFunctions: SelfTime[];
  /** Self time grouped by package (`ours` is pulumi-truto-access, `node` is Node's own JS, `(gc)` the collector). */
  byPackage: SelfTime[];
}

const META = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** Where a script lives, as a short name: `ours`, `node`, or the npm package name. */
export function packageOf(frame: CallFrame): string {
  if (frame.functionName === "(garbage collector)") return "(gc)";
  if (META.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return "node";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/");
    const name = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    return name === "pulumi-truto-access" ? "ours" : name;
  }
  if (url.includes("/dist/")) return "ours";
  return url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/");
}

function shortLocation(frame: CallFrame): string {
  const url = frame.url;
  if (url === "") return "";
  const nm = url.lastIndexOf("/node_modules/");
  const tail = nm >= 0 ? url.slice(nm + "/node_modules/".length) : url.replace(/^.*\/dist\//, "dist/").replace(/^file:\/\//, "");
  return ` ${tail}:${frame.lineNumber + 1}`;
}

/** Reads and summarises a profile file; `top` limits the function list. */
export async function summariseProfile(file: string, top = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await fs.readFile(file, "utf8")) as CpuProfile;
  return summarise(profile, top);
}

/** Summarises a parsed profile: each sample is charged the time until the next one. */
export function summarise(profile: CpuProfile, top = 12): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + us);
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const frame = frames.get(id);
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const pkg = packageOf(frame);
    const fn = `${frame.functionName || "(anonymous)"}${shortLocation(frame)} [${pkg}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rows = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: busyUs > 0 ? Math.round((1000 * us) / busyUs) / 10 : 0 }));
  return {
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    topFunctions: rows(byFunction, top),
    byPackage: rows(byPackage, 10),
  };
}
