/**
 * Paces requests per integrated account so a run stays under Truto's limit (50 requests per 10 s per
 * account) instead of discovering it through 429s. One governor per process is shared by every call.
 *
 * It keeps a slot per request in the last window (a sliding window), which bounds the count in *any*
 * window of `windowMs`; a plain token bucket can let through up to twice its capacity across a window
 * edge, which a sliding-window server answers with 429s. The server counts a request when it arrives,
 * somewhere between our grant and its response, so a slot is freed a window after the *response*: that
 * can never be early, and costs at most one round trip per window.
 */

/** Limit settings; `false` turns pacing off. */
export type RateLimitSettings = { limit: number; windowMs: number } | false;

/** Truto's documented per-account limit. */
export const DEFAULT_RATE_LIMIT = Object.freeze({ limit: 50, windowMs: 10_000 });

// Clock granularity between us and the server (whole milliseconds, rounding).
const EDGE_MARGIN_MS = 5;

interface Slot {
  grantedAt: number;
  /** When the response arrived; until then the slot is in flight and counts as now. */
  doneAt?: number;
}

interface Lane {
  slots: Slot[];
  /** No request may start before this (set by 429s and by other traffic using up the window). */
  blockedUntil: number;
  /** Minimum spacing asked for by a low `ratelimit-remaining` caused by other traffic. */
  spacingMs: number;
  lastStart: number;
  queue: Promise<void>;
}

/** Call when the response (or failure) of a granted request arrived. */
export type ReleaseSlot = () => void;

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
      lane = { slots: [], blockedUntil: 0, spacingMs: 0, lastStart: 0, queue: Promise.resolve() };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /**
   * Resolves when a request for `key` may start, and counts it as started. Callers are served in order.
   * Call the returned function when its response arrives.
   */
  acquire(key: string): Promise<ReleaseSlot> {
    const lane = this.lane(key);
    const turn = lane.queue.then(() => this.waitForSlot(lane));
    lane.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(lane: Lane): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.now();
      let wait = Math.max(0, lane.blockedUntil - now, lane.lastStart + lane.spacingMs - now);
      if (this.settings) {
        const { limit, windowMs } = this.settings;
        lane.slots = lane.slots.filter((s) => s.doneAt === undefined || s.doneAt + windowMs + EDGE_MARGIN_MS > now);
        if (lane.slots.length >= limit) {
          const finished = lane.slots.filter((s) => s.doneAt !== undefined).map((s) => s.doneAt as number);
          // Every slot in flight: wait a little for one to finish, then look again.
          const freeAt = finished.length ? Math.min(...finished) + windowMs + EDGE_MARGIN_MS : now + 10;
          wait = Math.max(wait, freeAt - now);
        }
      }
      if (wait <= 0) {
        lane.lastStart = now;
        const slot: Slot = { grantedAt: now };
        if (this.settings) lane.slots.push(slot);
        return () => {
          slot.doneAt ??= this.now();
        };
      }
      await this.sleep(wait);
    }
  }

  /**
   * Learns from a response to a request granted at `grantedAt`: a 429 blocks the account until the reset;
   * a `ratelimit-remaining` lower than our own traffic explains means someone else shares the account,
   * so the rest of the window is spread out (or waited out when nothing remains).
   */
  observe(key: string, info: { status: number; retryAfterMs?: number; remaining?: number; resetMs?: number }, grantedAt?: number): void {
    // Pacing off means off: each call still honours its own 429's Retry-After in the retry loop.
    if (!this.settings) return;
    const lane = this.lane(key);
    const now = this.now();
    if (info.status === 429 && info.retryAfterMs !== undefined) {
      lane.blockedUntil = Math.max(lane.blockedUntil, now + info.retryAfterMs);
      return;
    }
    if (info.remaining === undefined || info.resetMs === undefined) return;
    // Everything of ours the server could have counted for this request: granted up to a window before
    // it (give or take the network), up to now.
    const { limit, windowMs } = this.settings;
    const from = (grantedAt ?? now) - windowMs - Math.max(250, windowMs / 4);
    const ours = lane.slots.filter((s) => s.grantedAt > from).length;
    if (limit - info.remaining <= ours) {
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
