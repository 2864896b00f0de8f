/** One logged API request. `status` is null while it is in flight, and stays null if it was dropped. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number | null;
  idempotencyKey?: string;
  integratedAccountId?: string;
}

/** What the server knows when a request arrives. */
export type RequestArrival = Omit<LoggedRequest, "seq" | "at" | "status">;

/**
 * The last `limit` API requests, oldest first, in a ring so a long benchmark run costs fixed memory.
 * It never holds headers, so the Authorization token cannot leak through it.
 */
export class RequestLog {
  private ring: LoggedRequest[] = [];
  private start = 0;
  private seq = 0;

  constructor(private readonly limit: number) {}

  /** Appends an arriving request and returns its entry, so the status can be filled in later. */
  record(arrival: RequestArrival): LoggedRequest {
    this.seq += 1;
    const entry: LoggedRequest = { seq: this.seq, at: new Date().toISOString(), ...arrival, status: null };
    if (this.limit <= 0) return entry;
    if (this.ring.length < this.limit) {
      this.ring.push(entry);
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.limit;
    }
    return entry;
  }

  /** Copies of the entries, oldest first. */
  list(): LoggedRequest[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.map((entry) => ({ ...entry }));
  }

  /** Empties the log and says how many entries it held; sequence numbers keep counting up. */
  clear(): number {
    const count = this.ring.length;
    this.ring = [];
    this.start = 0;
    return count;
  }
}
