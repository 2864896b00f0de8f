/** A rate limit: at most `limit` requests in any `windowMs` milliseconds. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Whether a request may proceed, and the `ratelimit-*` headers (plus Retry-After when not). */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

class Window {
  private times: number[] = [];
  private head = 0;

  count(): number {
    return this.times.length - this.head;
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }

  prune(before: number): void {
    while (this.head < this.times.length && this.times[this.head] <= before) this.head += 1;
    // Drop the consumed prefix now and then so the array stays as long as the window, no longer.
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  add(time: number): void {
    this.times.push(time);
  }
}

/**
 * A sliding-window log per key (Truto keys on integrated_account_id). Rejected requests are not
 * recorded, so a client that backs off for Retry-After seconds always gets through.
 */
export class SlidingWindowLimiter {
  private windows = new Map<string, Window>();

  constructor(
    private readonly config: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts a request against `key` if the window has room, and says so. */
  take(key: string): RateDecision {
    const { limit, windowMs } = this.config;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window) {
      window = new Window();
      this.windows.set(key, window);
    }
    window.prune(now - windowMs);
    const allowed = window.count() < limit;
    if (allowed) window.add(now);
    const oldest = window.oldest() ?? now;
    const resetSeconds = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    const headers: Record<string, string> = {
      "ratelimit-limit": `${limit};w=${Math.ceil(windowMs / 1000)}`,
      "ratelimit-remaining": String(Math.max(0, limit - window.count())),
      "ratelimit-reset": String(resetSeconds),
    };
    if (!allowed) headers["retry-after"] = String(resetSeconds);
    return { allowed, headers };
  }
}
