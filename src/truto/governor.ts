/**
 * Paces requests per integrated account so a run stays under Truto's limit (50 requests per 10 s per
 * account) instead of discovering it through 429s. One governor per process is shared by every call.
 *
 * It keeps a slot per request in the last window (a sliding window), which bounds the count in *any*
 * window of `windowMs`; a plain token bucket can let through up to twice its capacity across a window
 * edge, which a sliding-window server answers with 429s. The server counts a request when it arrives,
 * somewhere between our grant and its response, so a slot is freed a window after the *response*: that
 * can never be early, and costs at most one round trip per window.
 *
 * Every wait is bounded by the caller's deadline (issue 9, item 5): a 429 with `Retry-After: 150` blocks
 * the account for 150 s, and a call that cannot wait that long is refused at once, saying so, rather
 * than waiting it out and then running with no time left.
 */
import { TrutoError, TrutoErrorCodes } from "./errors";

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
  /** No request may start before this: Truto said so (a 429's Retry-After, or ratelimit-remaining 0). */
  blockedUntil: number;
  /** Minimum spacing asked for by a low `ratelimit-remaining` caused by other traffic. */
  spacingMs: number;
  lastStart: number;
  queue: Promise<void>;
}

/** Call when the response (or failure) of a granted request arrived. */
export type ReleaseSlot = () => void;

/** How long one caller may wait for its turn. */
export interface WaitLimits {
  /** When (on the governor's clock) the request must have started; a longer wait is refused at once. */
  deadline?: number;
  /** The longest wait Truto may ask for (Retry-After, ratelimit-reset) that this caller accepts. */
  maxServerWaitMs?: number;
}

/** A duration as people read it in a message: whole seconds, rounded up, or milliseconds below one. */
function humanWait(ms: number): string {
  return ms < 1_000 ? `${Math.max(0, Math.ceil(ms))} ms` : `${Math.ceil(ms / 1_000)} s`;
}

/**
 * The summary of a refused wait Truto asked for (429 or ratelimit-remaining 0), shared by the governor
 * and the client's retry loop so both say the same: how long, and which of the call's limits it passes.
 */
export function serverWaitRefusal(askedMs: number, limits: { maxWaitMs?: number; leftMs?: number }): string {
  const tooLongAtOnce = limits.maxWaitMs !== undefined && askedMs > limits.maxWaitMs;
  const limit = tooLongAtOnce
    ? `more than the ${humanWait(limits.maxWaitMs as number)} this call waits at once (TrutoClient option retry.maxDelayMs)`
    : `more than the ${humanWait(limits.leftMs ?? 0)} left of this call's budget (TrutoClient option retry.budgetMs)`;
  return `Truto asked to wait ${humanWait(askedMs)} before the next request to this integrated account, ${limit}; try again in ${humanWait(askedMs)}.`;
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
      lane = { slots: [], blockedUntil: 0, spacingMs: 0, lastStart: 0, queue: Promise.resolve() };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /**
   * Resolves when a request for `key` may start, and counts it as started. Callers are served in order.
   * Call the returned function when its response arrives. Rejects at once (TRUTO_RATE_LIMITED, taking no
   * slot) when the wait would pass `limits`. A caller queued behind others is judged when its turn comes;
   * those ahead never wait past their own deadlines, so with equal budgets that is never late.
   */
  acquire(key: string, limits: WaitLimits = {}): Promise<ReleaseSlot> {
    const lane = this.lane(key);
    const turn = lane.queue.then(() => this.waitForSlot(lane, limits));
    lane.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(lane: Lane, limits: WaitLimits): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.now();
      const serverWait = Math.max(0, lane.blockedUntil - now);
      let wait = Math.max(serverWait, lane.lastStart + lane.spacingMs - now);
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
      this.refuseIfTooLong(limits, now, wait, serverWait);
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

  private refuseIfTooLong(limits: WaitLimits, now: number, wait: number, serverWait: number): void {
    const { deadline, maxServerWaitMs } = limits;
    const pastDeadline = deadline !== undefined && now + wait > deadline;
    const leftMs = deadline === undefined ? undefined : Math.max(0, deadline - now);
    if (serverWait > 0 && ((maxServerWaitMs !== undefined && serverWait > maxServerWaitMs) || (pastDeadline && serverWait >= wait))) {
      throw new TrutoError(TrutoErrorCodes.rateLimited, serverWaitRefusal(serverWait, { maxWaitMs: maxServerWaitMs, leftMs }), {
        retryAfterMs: serverWait,
      });
    }
    if (pastDeadline) {
      const pace = this.settings
        ? `the account's rate limit of ${this.settings.limit} requests per ${humanWait(this.settings.windowMs)}`
        : "the account's pace";
      throw new TrutoError(
        TrutoErrorCodes.rateLimited,
        `${pace}, and the requests ahead of this one, would hold it ${humanWait(wait)}, more than the ${humanWait(leftMs ?? 0)} left of this call's budget.`,
        { retryAfterMs: wait },
      );
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
