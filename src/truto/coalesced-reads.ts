/**
 * Reads coalesced into list pages. Against Truto the cost that decides a run's wait is requests (50 per 10 s
 * per account): a refresh of 1,000 assignments of one account is 1,000 `GET users/{id}`, where listing the
 * account's users once is 10 pages. So reads of one listing source (an account's users, or a Slack
 * workspace's role assignments) that are pending together are gathered for a moment and, where one listing
 * costs fewer requests than serving them one by one, served by one paged listing.
 *
 * What a listing may answer:
 * - a read that need not be fresh (a refresh): any listing in flight, or one that finished within the
 *   listing lifetime (`ttlMs`);
 * - a fresh read (a read-back after a write): only a listing that **started after the read was asked for**,
 *   which is after its write completed, so the listing still proves the write. Such a read never joins a
 *   listing already under way; it waits for the next one.
 *
 * A listing goes through the client like any request (the governor paces it); one that fails fails every
 * read it was serving, with its error.
 */

/** One listing: the items it found once every page was read, and when that was. */
interface Listing<R> {
  doneAt?: number;
  items: Promise<R>;
}

/** A read waiting for its source's decision: a listing's items, or none (read it alone). */
type Waiter<R> = (listing: Promise<R> | undefined) => void;

/** How one source decides between a listing and reads one by one. */
export interface SourcePolicy {
  /**
   * What one read costs when served alone, in requests. A Slack workspace's assignments are listed whole even
   * for one read, so a listing there always costs no more: `Infinity`.
   */
  aloneCost: number;
  /** The fewest pending reads for a first listing, while the source's page count is not yet known. */
  firstListingAt: number;
}

interface Source<R> {
  latest?: Listing<R>;
  pending: Waiter<R>[];
  timer?: NodeJS.Timeout;
  /** Pages the last complete listing took. */
  pages?: number;
}

/** How long reads wait to be gathered before their source decides (a read-back waits this much longer). */
export const GATHER_MS = 15;

/**
 * Coalesces reads per source key. `list(countPage)` fetches a whole listing, calling `countPage` once per
 * page; the answer to {@link read} is that listing's items, or `undefined`: read this one on your own.
 */
export class CoalescedReads<R> {
  private readonly sources = new Map<string, Source<R>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Forgets the latest listing of `key` (in flight or done) for reads to come: a write changed what it would show. */
  forget(key: string): void {
    const source = this.sources.get(key);
    if (source) source.latest = undefined;
  }

  /** Items of a listing that may serve this read, or undefined when a read of its own costs less. */
  read(
    key: string,
    opts: { fresh: boolean; ttlMs: number; policy: SourcePolicy; list: (countPage: () => void) => Promise<R> },
  ): Promise<R | undefined> {
    const source = this.source(key);
    const latest = source.latest;
    if (!opts.fresh && latest && (latest.doneAt === undefined || this.now() - latest.doneAt < opts.ttlMs)) return latest.items;
    return new Promise<R | undefined>((resolve, reject) => {
      source.pending.push((listing) => (listing ? listing.then(resolve, reject) : resolve(undefined)));
      source.timer ??= setTimeout(() => this.decide(source, opts), GATHER_MS);
    });
  }

  private source(key: string): Source<R> {
    let s = this.sources.get(key);
    if (!s) {
      s = { pending: [] };
      this.sources.set(key, s);
    }
    return s;
  }

  private decide(source: Source<R>, opts: { policy: SourcePolicy; list: (countPage: () => void) => Promise<R> }): void {
    source.timer = undefined;
    const batch = source.pending.splice(0);
    const { aloneCost, firstListingAt } = opts.policy;
    const alone = batch.length * aloneCost;
    const listing = source.pages === undefined ? batch.length >= firstListingAt || aloneCost === Infinity : source.pages < alone;
    if (!listing) {
      for (const settle of batch) settle(undefined);
      return;
    }
    // Started now, after every read in the batch was asked for: it answers fresh reads too.
    let pages = 0;
    const entry: Listing<R> = { items: opts.list(() => pages++) };
    source.latest = entry;
    entry.items.then(
      () => {
        entry.doneAt = this.now();
        source.pages = pages;
      },
      () => {
        if (source.latest === entry) source.latest = undefined;
      },
    );
    for (const settle of batch) settle(entry.items);
  }
}
