/**
 * A bounded poll for a condition on the sandbox, for the reliability suites (the pool they run steps in is
 * the engine model's, tools/engine/pool.ts).
 */

/** Polls `condition` every `everyMs` until it holds; throws naming `what` after `tries` attempts. */
export async function until(what: string, condition: () => Promise<boolean>, tries = 200, everyMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`gave up waiting for ${what} after ${tries} checks, ${everyMs} ms apart`);
}
