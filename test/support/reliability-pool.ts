/**
 * Small async helpers for the reliability suites: a bounded-concurrency pool (the engine's
 * `--parallel`) and a bounded poll for a condition on the sandbox.
 */

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the items' order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

/** Polls `condition` every `everyMs` until it holds; throws naming `what` after `tries` attempts. */
export async function until(what: string, condition: () => Promise<boolean>, tries = 200, everyMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`gave up waiting for ${what} after ${tries} checks, ${everyMs} ms apart`);
}
