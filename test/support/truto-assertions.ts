/**
 * Assertions shared by the client's and the host's tests: a call that must fail with a TrutoError (or, through
 * the provider host, a HostCallError), and a token that must not show up, even in part, in what an error prints.
 */
import { strict as assert } from "node:assert";
import { isTrutoError, type TrutoError } from "../../src/truto/errors";
import { HostCallError } from "./host";

/** Awaits `p`, asserts that it rejects with a TrutoError, and returns it. */
export async function rejection(p: Promise<unknown>): Promise<TrutoError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTrutoError(e), `expected a TrutoError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the call to fail");
}

/** Awaits a call to the provider host, asserts that it fails as a HostCallError, and returns it. */
export function hostFailure(p: Promise<unknown>): Promise<HostCallError> {
  return p.then(
    () => assert.fail("expected the call to fail"),
    (e: unknown) => {
      assert.ok(e instanceof HostCallError, String(e));
      return e;
    },
  );
}

/** Whether any 8-character piece of `secret` is in `text`; callers assert on it without printing either. */
export function leaksPart(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}
