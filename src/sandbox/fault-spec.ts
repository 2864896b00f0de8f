/**
 * What a fault is, as plain types (faults.ts validates a spec with zod and checks at compile time that it
 * produces exactly this). Free of zod, so the sandbox's public declarations compile in any project.
 */

/**
 * A fault as registered: the spec, with the count it started with. With `probability`, each matching
 * request is disturbed with that chance (drawn from a generator seeded by `seed`, default 0, so a run
 * repeats); only disturbed requests use up `count`, and a request left alone goes on to later faults.
 */
export interface FaultSpec {
  method: string;
  /** A URL pathname, optionally ending in `*`. */
  path: string;
  count: number;
  status?: number;
  retryAfter?: number | string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer as the vendor behind Truto: the body carries `truto_is_remote_error: true` (unless `body` is given). */
  remote?: boolean;
  delayMs?: number;
  drop?: boolean;
  malformed?: boolean;
  noop?: boolean;
  probability?: number;
  seed?: number;
}

/** A registered fault: its id, its spec, and how many requests it will still affect. */
export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
}
