/**
 * Paces requests per integrated account so a run stays under Truto's limit (50 requests per 10 s per
 * account) instead of discovering it through 429s. One governor per process is shared by every call.
 *
 * It keeps the start times of the last `limit` requests per account (a sliding window), which bounds
 * the count in *any* window of `windowMs`; a plain token bucket can let through up to twice its
 * capacity across a window boundary, which a sliding-window server would answer with 429s.
 */

/** Limit settings; `false` turns pacing off. */
export type RateLimitSettings = { limit: number; windowMs: number } | false;

/** Truto's documented per-account limit. */
export const DEFAULT_RATE_LIMIT = Object.freeze({ limit: 50, windowMs: 10_000 });

// Requests are counted when sent but the server counts them when received; a small margin keeps the
// two clocks from disagreeing at the window's edge.
const EDGE_MARGIN_MS = 25;

interface Lane {
  starts: number[];
  /** No request may start before this (set by 429s and `ratelimit-remaining: 0`). */
  blockedUntil: number;
  /** Minimum spacing asked for by a low `ratelimit-remaining`. */
  spacingMs: number;
  lastStart: number;
  queue: Promise<void>;
}

/** A sliding-window governor keyed by an account key. */
export class RateGovernor {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { starts: [], blockedUntil: 0, spacingMs: 0, lastStart: 0, queue: Promise.resolve() };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Resolves when a request for `key` may start, and counts it as started. Callers are served in order. */
  acquire(key: string): Promise<void> {
    const lane = this.lane(key);
    const turn = lane.queue.then(() => this.waitForSlot(lane));
    lane.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(lane: Lane): Promise<void> {
    for (;;) {
      const now = this.now();
      let wait = Math.max(0, lane.blockedUntil - now, lane.lastStart + lane.spacingMs - now);
      if (this.settings) {
        const { limit, windowMs } = this.settings;
        while (lane.starts.length > 0 && lane.starts[0] + windowMs + EDGE_MARGIN_MS <= now) lane.starts.shift();
        if (lane.starts.length >= limit) wait = Math.max(wait, lane.starts[0] + windowMs + EDGE_MARGIN_MS - now);
      }
      if (wait <= 0) {
        lane.lastStart = now;
        if (this.settings) lane.starts.push(now);
        return;
      }
      await this.sleep(wait);
    }
  }

  private inWindow(lane: Lane, now: number): number {
    if (!this.settings) return 0;
    const from = now - this.settings.windowMs;
    return lane.starts.filter((t) => t > from).length;
  }

  /**
   * Learns from a response: a 429 (or `ratelimit-remaining: 0`) blocks the account until the reset;
   * a low remaining count spreads the rest of the window's requests out.
   */
  observe(key: string, info: { status: number; retryAfterMs?: number; remaining?: number; resetMs?: number }): void {
    // Pacing off means off: each call still honours its own 429's Retry-After in the retry loop.
    if (!this.settings) return;
    const lane = this.lane(key);
    const now = this.now();
    if (info.status === 429 && info.retryAfterMs !== undefined) {
      lane.blockedUntil = Math.max(lane.blockedUntil, now + info.retryAfterMs);
      return;
    }
    if (info.remaining === undefined || info.resetMs === undefined) return;
    // Only the server's view of *other* traffic on the account matters: our own requests are already
    // counted by the window, and a reset rounded up to whole seconds would only slow us down.
    const ours = this.settings.limit - this.inWindow(lane, now);
    if (info.remaining >= ours) {
      lane.spacingMs = 0;
      return;
    }
    if (info.remaining <= 0) {
      lane.blockedUntil = Math.max(lane.blockedUntil, now + info.resetMs);
      lane.spacingMs = 0;
    } else {
      lane.spacingMs = Math.ceil(info.resetMs / (info.remaining + 1));
    }
  }
}
