/**
 * Paces requests so a run stays under Truto's two limits instead of discovering them through 429s:
 * 50 requests per 10 s per integrated account, and 500 per 10 s per API token (Truto's error model,
 * https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md;
 * both answer 429 with `Retry-After: 10`). One governor per process is shared by every call: a request
 * on an account waits for a slot in the account's lane and in its token's lane; a request naming no
 * account (reading the integrated account itself) waits in the token's lane only.
 *
 * Each lane keeps a slot per request in the last window (a sliding window), which bounds the count in
 * *any* window of `windowMs`; a plain token bucket can let through up to twice its capacity across a
 * window edge, which a sliding-window server answers with 429s. The server counts a request when it
 * arrives, somewhere between our grant and its response, so a slot is freed a window after the
 * *response*: that can never be early, and costs at most one round trip per window.
 *
 * The `ratelimit-limit / -remaining / -reset` headers are not Truto's window: Truto forwards, normalised,
 * the rate-limit information of the vendor behind the account (docs "Rate limits",
 * https://truto.one/docs/api-reference/overview/rate-limits; "Realtime unified APIs considerations").
 * They slow the account down to the vendor's quota (spread what remains over the time to its reset, or
 * wait for the reset when nothing remains) and never speed it past Truto's 50-window.
 *
 * Every wait is bounded by the caller's deadline (issue 9, item 5): a 429 with `Retry-After: 150` blocks
 * the account for 150 s, and a call that cannot wait that long is refused at once, saying so, rather
 * than waiting it out and then running with no time left.
 */
import { TrutoError, TrutoErrorCodes } from "./errors";

/** One limit: at most `limit` requests in any `windowMs`; `false` turns it off. */
export type RateLimitSettings = { limit: number; windowMs: number } | false;

/** The two limits a governor keeps: per integrated account, and per API token. */
export interface GovernorSettings {
  account: RateLimitSettings;
  token: RateLimitSettings;
}

/** Truto's documented per-account limit. */
export const DEFAULT_RATE_LIMIT = Object.freeze({ limit: 50, windowMs: 10_000 });

/** Truto's documented per-token limit. */
export const DEFAULT_TOKEN_RATE_LIMIT = Object.freeze({ limit: 500, windowMs: 10_000 });

// Clock granularity between us and the server (whole milliseconds, rounding).
const EDGE_MARGIN_MS = 5;

interface Slot {
  /** When the response arrived; until then the slot is in flight and counts as now. */
  doneAt?: number;
}

interface Lane {
  /** What this lane is paced to, and how a message names it. */
  readonly window: RateLimitSettings;
  readonly name: string;
  slots: Slot[];
  /** No request may start before this: Truto or the vendor said so (a 429's Retry-After, or a vendor quota at 0). */
  blockedUntil: number;
  /** Minimum spacing between starts, to fit the vendor's quota (`ratelimit-remaining` over `ratelimit-reset`). */
  spacingMs: number;
  lastStart: number;
  queue: Promise<void>;
}

/** The lanes one request waits in: its integrated account's, its token's, or both. */
export interface LaneKeys {
  account?: string;
  token?: string;
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

/** How long until `lane`'s window has room for one more request (0: now); requests in flight hold their slot. */
function windowWait(lane: Lane, now: number): number {
  if (!lane.window) return 0;
  const { limit, windowMs } = lane.window;
  lane.slots = lane.slots.filter((s) => s.doneAt === undefined || s.doneAt + windowMs + EDGE_MARGIN_MS > now);
  if (lane.slots.length < limit) return 0;
  const finished = lane.slots.filter((s) => s.doneAt !== undefined).map((s) => s.doneAt as number);
  // Every slot in flight: wait a little for one to finish, then look again.
  const freeAt = finished.length ? Math.min(...finished) + windowMs + EDGE_MARGIN_MS : now + 10;
  return freeAt - now;
}

/** A sliding-window governor with a lane per integrated account and per API token. */
export class RateGovernor {
  private readonly lanes = new Map<string, Lane>();
  private readonly settings: GovernorSettings;

  /** `settings` as one limit paces accounts only (the token's lane off), as tests of one lane want. */
  constructor(
    settings: GovernorSettings | RateLimitSettings,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.settings = settings !== false && "account" in settings ? settings : { account: settings, token: false };
  }

  private lane(kind: "account" | "token", key: string): Lane {
    const id = `${kind}|${key}`;
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = {
        window: this.settings[kind],
        name: kind === "account" ? "the integrated account's" : "the API token's",
        slots: [],
        blockedUntil: 0,
        spacingMs: 0,
        lastStart: 0,
        queue: Promise.resolve(),
      };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  /**
   * Resolves when a request may start in every lane of `keys` (a string: an account's lane alone), and
   * counts it as started in each. Callers of one lane are served in order: the account's when there is
   * one, else the token's. Call the returned function when its response arrives. Rejects at once
   * (TRUTO_RATE_LIMITED, taking no slot) when the wait would pass `limits`. A caller queued behind others
   * is judged when its turn comes; those ahead never wait past their own deadlines, so with equal
   * budgets that is never late.
   */
  acquire(keys: LaneKeys | string, limits: WaitLimits = {}): Promise<ReleaseSlot> {
    const { account, token } = typeof keys === "string" ? { account: keys, token: undefined } : keys;
    const lanes = [
      ...(account !== undefined ? [this.lane("account", account)] : []),
      ...(token !== undefined ? [this.lane("token", token)] : []),
    ];
    if (lanes.length === 0) return Promise.resolve(() => undefined);
    const ordered = lanes[0];
    const turn = ordered.queue.then(() => this.waitForSlot(lanes, limits));
    ordered.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(lanes: readonly Lane[], limits: WaitLimits): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.now();
      // The first lane is the account's when there is one: only it learns Retry-After and vendor quotas.
      const [own] = lanes;
      const serverWait = Math.max(0, own.blockedUntil - now);
      let wait = Math.max(serverWait, own.lastStart + own.spacingMs - now);
      let pacedBy: Lane | undefined;
      for (const lane of lanes) {
        const w = windowWait(lane, now);
        if (w > 0 && w >= wait) {
          wait = w;
          pacedBy = lane;
        }
      }
      this.refuseIfTooLong(limits, now, wait, serverWait, pacedBy);
      if (wait <= 0) {
        const slot: Slot = {};
        for (const lane of lanes) {
          lane.lastStart = now;
          if (lane.window) lane.slots.push(slot);
        }
        return () => {
          slot.doneAt ??= this.now();
        };
      }
      await this.sleep(wait);
    }
  }

  private refuseIfTooLong(limits: WaitLimits, now: number, wait: number, serverWait: number, pacedBy: Lane | undefined): void {
    const { deadline, maxServerWaitMs } = limits;
    const pastDeadline = deadline !== undefined && now + wait > deadline;
    const leftMs = deadline === undefined ? undefined : Math.max(0, deadline - now);
    if (serverWait > 0 && ((maxServerWaitMs !== undefined && serverWait > maxServerWaitMs) || (pastDeadline && serverWait >= wait))) {
      throw new TrutoError(TrutoErrorCodes.rateLimited, serverWaitRefusal(serverWait, { maxWaitMs: maxServerWaitMs, leftMs }), {
        retryAfterMs: serverWait,
      });
    }
    if (pastDeadline) {
      const pace =
        pacedBy && pacedBy.window
          ? `${pacedBy.name} rate limit of ${pacedBy.window.limit} requests per ${humanWait(pacedBy.window.windowMs)}`
          : "the vendor's quota for the integrated account (ratelimit-remaining)";
      throw new TrutoError(
        TrutoErrorCodes.rateLimited,
        `${pace}, and the requests ahead of this one, would hold it ${humanWait(wait)}, more than the ${humanWait(leftMs ?? 0)} left of this call's budget.`,
        { retryAfterMs: wait },
      );
    }
  }

  /**
   * Learns from a response on account `key`: a 429 blocks the account until its Retry-After; the
   * vendor's quota (`ratelimit-remaining` requests left until `ratelimit-reset`) spreads the account's
   * next requests over the time to the reset, or holds them until the reset when nothing remains.
   *
   * A 429 of Truto's own does not say which of its limits it hit; it blocks the account it answered
   * (a token-wide 429 then reaches each account that asks, once). The vendor's quota counts every client
   * of the account, us included, so it is read as it is, not against our own count.
   */
  observe(key: string, info: { status: number; retryAfterMs?: number; remaining?: number; resetMs?: number }): void {
    // Pacing off means off: each call still honours its own 429's Retry-After in the retry loop.
    if (!this.settings.account) return;
    const lane = this.lane("account", key);
    const now = this.now();
    if (info.status === 429 && info.retryAfterMs !== undefined) {
      lane.blockedUntil = Math.max(lane.blockedUntil, now + info.retryAfterMs);
      return;
    }
    if (info.remaining === undefined || info.resetMs === undefined) return;
    if (info.remaining <= 0) {
      lane.blockedUntil = Math.max(lane.blockedUntil, now + info.resetMs);
      lane.spacingMs = 0;
    } else {
      // `remaining` starts left before the reset, ours and anyone else's: one every resetMs / remaining.
      lane.spacingMs = Math.ceil(info.resetMs / info.remaining);
    }
  }
}
