/**
 * A short-lived, per-process cache of reads that every write to the same user invalidates, so a refresh
 * of many assignments of one user fetches the user once. A read in flight is always shared; a finished
 * one for `ttlMs` after it finished.
 */
export class ReadCache {
  private readonly entries = new Map<string, { done?: number; value: Promise<unknown> }>();
  private sweptAt = 0;
  private longestTtlMs = 1_000;

  /** The read for `key`: the one in flight, else one that finished less than `ttlMs` ago, else `load()`. */
  get<T>(key: string, load: () => Promise<T>, ttlMs: number): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && (hit.done === undefined || now - hit.done < ttlMs)) return hit.value as Promise<T>;
    this.longestTtlMs = Math.max(this.longestTtlMs, ttlMs);
    this.sweep(now);
    const entry: { done?: number; value: Promise<unknown> } = { value: load() };
    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.done = Date.now();
      },
      // A failed read is not remembered.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value as Promise<T>;
  }

  /** Whether a read for `key` is in flight, or finished less than `ttlMs` ago: {@link get} would not load it. */
  has(key: string, ttlMs: number): boolean {
    const hit = this.entries.get(key);
    return hit !== undefined && (hit.done === undefined || Date.now() - hit.done < ttlMs);
  }

  // A run over thousands of users must not keep every answer: expired entries go, at most once per TTL.
  private sweep(now: number): void {
    if (now - this.sweptAt < this.longestTtlMs) return;
    this.sweptAt = now;
    for (const [key, e] of this.entries) if (e.done !== undefined && now - e.done >= this.longestTtlMs) this.entries.delete(key);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }
}
