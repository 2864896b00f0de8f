import { z } from "zod";
import type { Fault, FaultSpec } from "./fault-spec";

/** The body of POST /_sandbox/faults: which requests to disturb, how many, and how. */
export const faultSpecSchema = z
  .strictObject({
    method: z.string().min(1),
    path: z.string().startsWith("/", "must start with / (a URL pathname, optionally ending in *)"),
    count: z.number().int().min(1).max(1_000_000),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    /** Answer as the vendor behind Truto: the body carries `truto_is_remote_error: true` (unless `body` is given). */
    remote: z.boolean().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    drop: z.boolean().optional(),
    malformed: z.boolean().optional(),
    noop: z.boolean().optional(),
    probability: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .superRefine((spec, ctx) => {
    const outcomes = (["status", "drop", "malformed", "noop"] as const).filter((key) => spec[key] !== undefined && spec[key] !== false);
    if (outcomes.length > 1) {
      ctx.addIssue({ code: "custom", message: `choose one of status, drop, malformed, noop; got ${outcomes.join(" and ")}` });
    }
    if (outcomes.length === 0 && spec.delayMs === undefined) {
      ctx.addIssue({ code: "custom", message: "a fault needs at least one of status, drop, malformed, noop or delayMs" });
    }
    if (spec.seed !== undefined && spec.probability === undefined) {
      ctx.addIssue({ code: "custom", message: "seed applies only together with probability" });
    }
    if (spec.remote !== undefined && spec.body !== undefined) {
      ctx.addIssue({ code: "custom", message: "choose one of remote and body; put truto_is_remote_error in the body yourself" });
    }
    for (const key of ["retryAfter", "headers", "body", "remote"] as const) {
      if (spec[key] !== undefined && spec.status === undefined) {
        ctx.addIssue({ code: "custom", message: `${key} applies only together with status` });
      }
    }
  });

export type { Fault, FaultSpec } from "./fault-spec";

// The plain type must stay what the schema produces: this fails to compile the day they differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFaultSpec: Same<FaultSpec, z.infer<typeof faultSpecSchema>> = true;
void sameFaultSpec;

// A small seeded generator (mulberry32): the same seed gives the same draws, run after run.
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(fault: Fault, method: string, pathname: string): boolean {
  if (fault.method !== "*" && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  return fault.path.endsWith("*") ? pathname.startsWith(fault.path.slice(0, -1)) : pathname === fault.path;
}

/** Registered faults, consulted in the order registered; each is used up after `count` requests. */
export class FaultRegistry {
  private faults: Fault[] = [];
  // Kept apart from the faults so list() shows only the spec and the count.
  private draws = new Map<string, () => number>();
  private nextId = 1;

  /** Registers a validated spec and returns the fault as stored. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `flt_${this.nextId++}`, remaining: spec.count };
    if (spec.probability !== undefined) this.draws.set(fault.id, seededRandom(spec.seed ?? 0));
    this.faults.push(fault);
    return fault;
  }

  /** Uses up one request of the first fault that matches (and, if it has a probability, fires), or returns undefined. */
  take(method: string, pathname: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => matches(fault, method, pathname) && this.fires(fault));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.faults.splice(index, 1);
      this.draws.delete(fault.id);
    }
    return { ...fault };
  }

  private fires(fault: Fault): boolean {
    const draw = this.draws.get(fault.id);
    return draw === undefined || draw() < (fault.probability ?? 1);
  }

  /** The faults still active, oldest first. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes every fault and says how many there were. */
  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    this.draws.clear();
    return count;
  }
}
