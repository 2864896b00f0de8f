import { z } from "zod";

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
    delayMs: z.number().int().min(0).max(600_000).optional(),
    drop: z.boolean().optional(),
    malformed: z.boolean().optional(),
    noop: z.boolean().optional(),
  })
  .superRefine((spec, ctx) => {
    const outcomes = (["status", "drop", "malformed", "noop"] as const).filter((key) => spec[key] !== undefined && spec[key] !== false);
    if (outcomes.length > 1) {
      ctx.addIssue({ code: "custom", message: `choose one of status, drop, malformed, noop; got ${outcomes.join(" and ")}` });
    }
    if (outcomes.length === 0 && spec.delayMs === undefined) {
      ctx.addIssue({ code: "custom", message: "a fault needs at least one of status, drop, malformed, noop or delayMs" });
    }
    for (const key of ["retryAfter", "headers", "body"] as const) {
      if (spec[key] !== undefined && spec.status === undefined) {
        ctx.addIssue({ code: "custom", message: `${key} applies only together with status` });
      }
    }
  });

/** A fault as registered: the spec, with the count it started with. */
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** A registered fault: its id, its spec, and how many requests it will still affect. */
export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
}

function matches(fault: Fault, method: string, pathname: string): boolean {
  if (fault.method !== "*" && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  return fault.path.endsWith("*") ? pathname.startsWith(fault.path.slice(0, -1)) : pathname === fault.path;
}

/** Registered faults, consulted in the order registered; each is used up after `count` requests. */
export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Registers a validated spec and returns the fault as stored. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `flt_${this.nextId++}`, remaining: spec.count };
    this.faults.push(fault);
    return fault;
  }

  /** Uses up one request of the first fault that matches, or returns undefined. */
  take(method: string, pathname: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => matches(fault, method, pathname));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }

  /** The faults still active, oldest first. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes every fault and says how many there were. */
  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }
}
