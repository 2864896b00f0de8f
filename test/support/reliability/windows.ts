/**
 * Sliding windows over the sandbox's request log, to check from the outside what Truto's limits count: the most
 * requests that arrived within any window, per integrated account (Truto's 50 per 10 s) and for the whole API token
 * (Truto's 500 per 10 s, across every account and route). Counting every logged request, including those a fault
 * answered or a limit refused, errs on the safe side: the sandbox's own limiter counts no more than this.
 */
import type { LoggedRequest } from "../../../src/sandbox";

/** Which window a logged request counts in; undefined leaves it out. */
export type WindowKey = (entry: LoggedRequest) => string | undefined;

/** The integrated account's window: requests that name an account. */
export const perAccount: WindowKey = (entry) => entry.integratedAccountId;

/** The API token's window: every API request (the rig's sandbox has one token). */
export const perToken: WindowKey = () => "token";

/** The largest number of requests in any sliding window of `windowMs`, per key. */
export function busiestWindows(log: readonly LoggedRequest[], windowMs: number, keyOf: WindowKey): Map<string, number> {
  const byKey = new Map<string, number[]>();
  for (const entry of log) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const list = byKey.get(key) ?? [];
    list.push(Date.parse(entry.at));
    byKey.set(key, list);
  }
  const out = new Map<string, number>();
  for (const [key, times] of byKey) {
    times.sort((a, b) => a - b);
    let start = 0;
    let max = 0;
    // A request at `t` shares a window with those after `t - windowMs` (the limiter's own rule).
    for (let end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    out.set(key, max);
  }
  return out;
}

/** The busiest window over every key; 0 for an empty log. */
export function busiestWindow(log: readonly LoggedRequest[], windowMs: number, keyOf: WindowKey): number {
  return Math.max(0, ...busiestWindows(log, windowMs, keyOf).values());
}
