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

/** One answer of GET /_sandbox/requests: entries after `since`, and the cursor of the next page. */
export interface RequestLogPage {
  /** Oldest first. */
  requests: LoggedRequest[];
  /** Entries the log dropped (oldest first) to stay within its bounds since it was last cleared. */
  dropped: number;
  /** Pass as `?since=` for the next page; null when this page reaches the newest entry. */
  next: number | null;
}

/** How much the log keeps, and how much one page may carry. */
export interface RequestLogBounds {
  /** Entries kept; 0 keeps none. */
  maxEntries: number;
  /** Approximate bytes kept (raw body, path and query, plus a fixed amount per entry). */
  maxBytes: number;
  /** Approximate bytes per page; a page always holds at least one entry when there is one. */
  pageBytes: number;
}

/** The most entries one page may ask for, and what it gets without asking. */
export const MAX_PAGE_ENTRIES = 10_000;
export const DEFAULT_PAGE_ENTRIES = 1_000;

// What an entry costs beyond its raw text: seq, at, method, status, keys, and the JSON around them.
const ENTRY_OVERHEAD_BYTES = 256;

interface Slot {
  entry: LoggedRequest;
  bytes: number;
}

/**
 * The newest API requests, oldest first, bounded by count and by bytes so neither a long benchmark run
 * nor a flood of large bodies can grow the sandbox without limit; the oldest are dropped and counted.
 * It never holds headers, so the Authorization token cannot leak through it.
 */
export class RequestLog {
  private slots: Slot[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  private droppedCount = 0;

  constructor(private readonly bounds: RequestLogBounds) {}

  /**
   * Appends an arriving request and returns its entry, so the status can be filled in later. `rawBytes`
   * is the size of what was read (body, path and query); the newest entry is kept even when it alone
   * is over `maxBytes`, since the body limit already bounds it.
   */
  record(arrival: RequestArrival, rawBytes: number): LoggedRequest {
    this.seq += 1;
    const entry: LoggedRequest = { seq: this.seq, at: new Date().toISOString(), ...arrival, status: null };
    if (this.bounds.maxEntries <= 0) return entry;
    const bytes = rawBytes + ENTRY_OVERHEAD_BYTES;
    this.slots.push({ entry, bytes });
    this.bytes += bytes;
    while (this.size() > this.bounds.maxEntries || (this.bytes > this.bounds.maxBytes && this.size() > 1)) this.dropOldest();
    return entry;
  }

  /** Copies of the entries after `since`, oldest first: at most `limit` of them and about `pageBytes`. */
  page(since: number, limit: number): RequestLogPage {
    const requests: LoggedRequest[] = [];
    let bytes = 0;
    let i = this.firstAfter(since);
    for (; i < this.slots.length && requests.length < limit; i += 1) {
      const slot = this.slots[i];
      if (requests.length > 0 && bytes + slot.bytes > this.bounds.pageBytes) break;
      bytes += slot.bytes;
      requests.push({ ...slot.entry });
    }
    const next = i < this.slots.length && requests.length > 0 ? requests[requests.length - 1].seq : null;
    return { requests, dropped: this.droppedCount, next };
  }

  /** Empties the log and says how many entries it held; sequence numbers keep counting up. */
  clear(): number {
    const count = this.size();
    this.slots = [];
    this.head = 0;
    this.bytes = 0;
    this.droppedCount = 0;
    return count;
  }

  private size(): number {
    return this.slots.length - this.head;
  }

  private dropOldest(): void {
    this.bytes -= this.slots[this.head].bytes;
    this.head += 1;
    this.droppedCount += 1;
    // Compact now and then, so dropping stays O(1) amortised without holding dropped entries.
    if (this.head >= 1024 && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  // Entries are in seq order: binary search for the first one after `since`.
  private firstAfter(since: number): number {
    let low = this.head;
    let high = this.slots.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.slots[mid].entry.seq <= since) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * Follows GET /_sandbox/requests from the start to the newest entry and returns every entry, oldest
 * first. `fetchPage(since)` fetches one page; at most `maxPages` are fetched, and a page that does not
 * move forward ends the walk, so a misbehaving server cannot loop it forever.
 */
export async function readWholeRequestLog(
  fetchPage: (since: number) => Promise<RequestLogPage>,
  maxPages = 1_000,
): Promise<LoggedRequest[]> {
  const all: LoggedRequest[] = [];
  let since = 0;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await fetchPage(since);
    all.push(...page.requests);
    if (page.next === null || page.next <= since) return all;
    since = page.next;
  }
  throw new Error(`The sandbox request log did not end within ${maxPages} pages.`);
}
