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
 * A listing costs its pages; reads alone cost one each. The reads that need not be fresh left alone within the
 * listing lifetime count too, since a listing would have answered them and will answer those that follow.
 *
 * A source may be narrowable (`policy.narrowUpTo`): a read then names the parts of the source it is about (a Slack
 * workspace's role assignments of the roles it confirms), and a listing asks only for the parts its reads name
 * together. A narrowed listing answers only reads about parts it covers; a read that names none wants the whole.
 *
 * A listing goes through the client like any request (the governor paces it); one that fails fails every
 * read it was serving, with its error.
 */

/** The parts of a source a listing asked for; undefined: all of it. */
export type Parts = ReadonlySet<string> | undefined;

/** One listing: the items it found once every page was read, when that was, and the parts it asked for. */
interface Listing<R> {
  doneAt?: number;
  items: Promise<R>;
  only: Parts;
}

/** A read waiting for its source's decision: a listing's items, or none (read it alone). */
interface Waiter<R> {
  fresh: boolean;
  about: Parts;
  settle: (listing: Promise<R> | undefined) => void;
}

/** Whether a listing of `only` shows everything a read `about` those parts needs. */
function covers(only: Parts, about: Parts): boolean {
  return only === undefined || (about !== undefined && [...about].every((part) => only.has(part)));
}

/** How one source decides between a listing and reads one by one. */
export interface SourcePolicy {
  /**
   * What one read costs when served alone, in requests. A Slack workspace's assignments are listed whole even
   * for one read, so a listing there always costs no more: `Infinity`.
   */
  aloneCost: number;
  /**
   * The fewest reads for a first listing, while the source's page count is not yet known: those pending, and
   * those that need not be fresh left alone within the listing lifetime.
   */
  firstListingAt: number;
  /**
   * How many parts one listing may be narrowed to; beyond that (or when 0 or absent), it lists the whole source.
   * Narrowed listings take fewer pages, so only whole listings teach the source its page count.
   */
  narrowUpTo?: number;
}

/** What one read asks of {@link CoalescedReads.read}. */
export interface ReadOptions<R> {
  fresh: boolean;
  ttlMs: number;
  policy: SourcePolicy;
  /** The parts of the source this read is about, where the policy lets listings be narrowed; absent: all of it. */
  about?: ReadonlySet<string>;
  /** Lists the source (only `only`, when given), calling `countPage` once per page. */
  list: (countPage: () => void, only: Parts) => Promise<R>;
}

interface Source<R> {
  latest?: Listing<R>;
  pending: Waiter<R>[];
  timer?: NodeJS.Timeout;
  /** Pages the last complete whole listing took. */
  pages?: number;
  /** When reads that need not be fresh were last left to read alone (within the listing lifetime). */
  aloneAt: number[];
  /** The listing of this source in flight, if any: one at a time, so reads that come meanwhile share the next. */
  running?: Promise<unknown>;
  /** Set while pending reads wait for `running` to end before their decision. */
  queued?: boolean;
}

/** How long reads wait to be gathered before their source decides (a read-back waits this much longer). */
export const GATHER_MS = 15;

/**
 * Coalesces reads per source key. `list(countPage, only)` fetches a listing, calling `countPage` once per
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
  read(key: string, opts: ReadOptions<R>): Promise<R | undefined> {
    const source = this.source(key);
    const latest = source.latest;
    const about = (opts.policy.narrowUpTo ?? 0) > 0 ? opts.about : undefined;
    const live = latest && (latest.doneAt === undefined || this.now() - latest.doneAt < opts.ttlMs);
    if (!opts.fresh && live && covers(latest.only, about)) return latest.items;
    return new Promise<R | undefined>((resolve, reject) => {
      source.pending.push({
        fresh: opts.fresh,
        about,
        settle: (listing) => (listing ? listing.then(resolve, reject) : resolve(undefined)),
      });
      if (!source.queued) source.timer ??= setTimeout(() => this.decide(source, opts), GATHER_MS);
    });
  }

  private source(key: string): Source<R> {
    let s = this.sources.get(key);
    if (!s) {
      s = { pending: [], aloneAt: [] };
      this.sources.set(key, s);
    }
    return s;
  }

  private decide(source: Source<R>, opts: ReadOptions<R>): void {
    source.timer = undefined;
    const batch = source.pending.splice(0);
    const { aloneCost, firstListingAt } = opts.policy;
    // A listing also answers the reads that need not be fresh through its lifetime: those left to read alone
    // in the last lifetime show how many are coming, so they count towards it too.
    const now = this.now();
    source.aloneAt = source.aloneAt.filter((t) => now - t < opts.ttlMs);
    const alone = (batch.length + source.aloneAt.length) * aloneCost;
    const listing = source.pages === undefined ? batch.length + source.aloneAt.length >= firstListingAt : source.pages < alone;
    if (!listing) {
      for (const w of batch) {
        if (!w.fresh && opts.ttlMs > 0) source.aloneAt.push(now);
        w.settle(undefined);
      }
      return;
    }
    if (source.running) {
      // One listing of a source at a time: these reads wait for the one in flight to end, with those that come
      // meanwhile, and then share the next (a Slack workspace's listing is many pages; overlapping ones repeat them).
      source.pending.unshift(...batch);
      source.queued = true;
      const next = () => {
        source.queued = false;
        this.decide(source, opts);
      };
      source.running.then(next, next);
      return;
    }
    source.aloneAt = [];
    // Started now, after every read in the batch was asked for: it answers fresh reads too.
    let pages = 0;
    const only = partsOf(batch, opts.policy.narrowUpTo ?? 0);
    const entry: Listing<R> = { items: opts.list(() => pages++, only), only };
    source.latest = entry;
    source.running = entry.items.then(
      () => {
        entry.doneAt = this.now();
        if (only === undefined) source.pages = pages;
        source.running = undefined;
      },
      () => {
        if (source.latest === entry) source.latest = undefined;
        source.running = undefined;
      },
    );
    for (const w of batch) w.settle(entry.items);
  }
}

/** The parts a listing for `batch` asks for: every part its reads name, or all of the source (a read names none, or too many). */
function partsOf(batch: readonly { about: Parts }[], upTo: number): Parts {
  if (upTo <= 0 || batch.some((w) => w.about === undefined)) return undefined;
  const parts = new Set(batch.flatMap((w) => [...(w.about ?? [])]));
  return parts.size > 0 && parts.size <= upTo ? parts : undefined;
}
