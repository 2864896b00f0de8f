/** A rate limit: at most `limit` requests in any `windowMs` milliseconds. */
export interface RateLimit {
  limit: number;
  windowMs: number;
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

  // The newest entry at `time`: a ticket is usually handed back soon, so it is near the end.
  remove(time: number): void {
    for (let i = this.times.length - 1; i >= this.head; i -= 1) {
      if (this.times[i] === time) {
        this.times.splice(i, 1);
        return;
      }
    }
  }
}

/** Where one key's window stands right now. */
export interface WindowStanding {
  /** Requests the window still has room for. */
  remaining: number;
  /** Whole seconds (at least 1) until the oldest request in the window leaves it and frees a slot. */
  resetSeconds: number;
}

/** A counted request; `release` takes it back out of its window (at most once). */
export interface Ticket {
  release(): void;
}

/**
 * A sliding-window log per key: a request at `t` shares a window with every counted request after
 * `t - windowMs`. Checking for room and counting are separate steps, so a caller can check several
 * windows and count the request in all of them or in none: a rejected request is never counted, and a
 * client that backs off for Retry-After seconds always gets through.
 */
export class SlidingWindowLimiter {
  private windows = new Map<string, Window>();

  constructor(
    readonly config: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private window(key: string): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = new Window();
      this.windows.set(key, window);
    }
    window.prune(this.now() - this.config.windowMs);
    return window;
  }

  /** Whether the window of `key` has room for one more request now; counts nothing. */
  hasRoom(key: string): boolean {
    return this.window(key).count() < this.config.limit;
  }

  /** Counts a request against `key` now, whether or not there is room (check {@link hasRoom} first). */
  take(key: string): Ticket {
    const time = this.now();
    const window = this.window(key);
    window.add(time);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        window.remove(time);
      },
    };
  }

  /** How much room the window of `key` has, and when its oldest request frees a slot. */
  standing(key: string): WindowStanding {
    const window = this.window(key);
    const now = this.now();
    const oldest = window.oldest() ?? now;
    return {
      remaining: Math.max(0, this.config.limit - window.count()),
      resetSeconds: Math.max(1, Math.ceil((oldest + this.config.windowMs - now) / 1000)),
    };
  }
}

/** "50 requests per 10 s": a limit as messages and the command's banner say it. */
export function describeLimit(limit: RateLimit): string {
  return `${limit.limit} requests per ${limit.windowMs / 1000} s`;
}
