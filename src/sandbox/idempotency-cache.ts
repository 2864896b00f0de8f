/** The least a cached response needs: its status, to tell success from failure. */
export interface StoredResponse {
  status: number;
}

interface Entry<T> {
  expiresAt: number;
  response?: T;
  pending?: Promise<T>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function succeeded(response: StoredResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/**
 * Replays the first successful response for a key (scoped by the caller to account + path + key)
 * for 24 hours. Failures are not kept, so a retry after a 4xx or 5xx runs again. A repeat that
 * arrives while the first is still running waits for it rather than applying the change twice.
 */
export class IdempotencyCache<T extends StoredResponse> {
  private entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `execute` once per key while its result is cached; `replayed` says whether it ran. */
  async run(key: string, execute: () => Promise<T>): Promise<{ response: T; replayed: boolean }> {
    this.evictExpired();
    const entry = this.entries.get(key);
    if (entry?.response) return { response: entry.response, replayed: true };
    if (entry?.pending) {
      const first = await entry.pending.catch(() => undefined);
      if (first && succeeded(first)) return { response: first, replayed: true };
    }
    const pending = execute();
    const mine: Entry<T> = { expiresAt: this.now() + this.ttlMs, pending };
    this.entries.set(key, mine);
    this.evictOverflow();
    try {
      const response = await pending;
      if (this.entries.get(key) === mine) {
        if (succeeded(response)) this.entries.set(key, { expiresAt: mine.expiresAt, response });
        else this.entries.delete(key);
      }
      return { response, replayed: false };
    } catch (error) {
      if (this.entries.get(key) === mine) this.entries.delete(key);
      throw error;
    }
  }

  /** Forgets every key (used by reset). */
  clear(): void {
    this.entries.clear();
  }

  // Entries are inserted in expiry order (the TTL is fixed), so expired ones sit at the front.
  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }

  private evictOverflow(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
