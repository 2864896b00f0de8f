/**
 * A bounded worker pool: at most `concurrency` tasks in flight, taken in order, like the engine's
 * step executor with `--parallel`.
 */

/**
 * Runs `work` for every item with at most `concurrency` in flight, items started in index order.
 * Rejects with the first failure after the tasks already started have settled.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`runPool: concurrency must be a whole number of at least 1, not ${concurrency}.`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    // Each worker takes the next index until the list is used up or a task failed; bounded by items.length.
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
}
