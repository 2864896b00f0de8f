/**
 * The one bounded pool: the engine's step executor with `--parallel`, for the engine model, the reliability
 * suites and the bench (and its raw replay).
 */

/** When a pool stops starting new items. */
export interface PoolOptions {
  /** Asked before each new item starts; once it answers true, no further item starts (those running finish). */
  stop?: () => boolean;
}

/**
 * Runs `work` for every item with at most `size` in flight, items started in index order; the results keep
 * the items' order (a hole where an item never started). After a failure no new item starts, as the engine
 * stops scheduling steps once one fails; it rejects with the first failure once the running items settle.
 */
export async function runPool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<R>,
  options: PoolOptions = {},
): Promise<R[]> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`runPool: the pool size must be a whole number of at least 1, not ${size}.`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    // Each lane takes the next index until the list is used up or the pool stops; bounded by items.length.
    while (next < items.length && failure === undefined && !options.stop?.()) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  if (failure) throw failure.error;
  return results;
}
