/**
 * The three windows a request can meet, in the order it meets them: Truto's per-token limit (every API
 * request), Truto's per-account limit (/unified), and the vendor's quota behind Truto (/unified calls that
 * reach the vendor). Facts from truto-api-notes §4.4:
 * - Truto's own limits are 500 requests / 10 s per API token and 50 / 10 s per integrated account, both
 *   answered with 429 and `Retry-After: 10` (Truto's error model,
 *   https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md).
 * - `ratelimit-limit` / `-remaining` / `-reset` carry the vendor's quota as Truto normalises it, and appear
 *   only when the vendor supplies rate-limit information; a vendor 429 carries them too, with
 *   `truto_is_remote_error`, the vendor's `Retry-After` and `truto_error_insight.rate_limit_error`
 *   (https://truto.one/docs/api-reference/overview/rate-limits,
 *   https://truto.one/docs/guides/how-truto-works/realtime-unified-apis-considerations).
 * A request answered 429, by any of them, is counted in none of them.
 */
import { tokenKey } from "./auth";
import { trutoError, type SandboxHttpError } from "./errors";
import type { RouteResult } from "./http-io";
import { describeLimit, type SlidingWindowLimiter, type Ticket } from "./rate-limiter";
import type { SandboxRuntime } from "./runtime";
import type { SandboxCall } from "./sandbox-call";
import type { AccountIndex } from "./store";
import { rulesFor } from "./truto-rules";
import { vendorError } from "./vendor-errors";

// Truto's own 429: its three fields, naming whose limit it is, and Retry-After of a whole window (10 s at
// Truto's defaults). No ratelimit-* headers: those stand for the vendor's quota, not Truto's window.
function trutoLimited(limiter: SlidingWindowLimiter, whose: string): SandboxHttpError {
  const seconds = Math.ceil(limiter.config.windowMs / 1000);
  const message = `Rate limit of ${whose} exceeded (${describeLimit(limiter.config)}). Retry after ${seconds} seconds.`;
  return trutoError(429, message, { "retry-after": String(seconds) });
}

/** Whether a result is Truto's 429 or the vendor's: such a request is counted in no window. */
export function isRateLimited(result: RouteResult): boolean {
  return result.status === 429;
}

/**
 * Counts an API request in its token's window, or throws Truto's 429 when the window is full. The window
 * is keyed on a digest of the bearer token; the message names "the API token", never the token.
 */
export function admitToken(call: SandboxCall, rt: SandboxRuntime): Ticket | undefined {
  const limiter = rt.limiters.tokenRateLimit;
  if (!limiter) return undefined;
  const key = tokenKey(call.headers);
  if (!limiter.hasRoom(key)) throw trutoLimited(limiter, "the API token");
  return limiter.take(key);
}

function quotaHeaders(limiter: SlidingWindowLimiter, key: string): Record<string, string> {
  const { remaining, resetSeconds } = limiter.standing(key);
  return {
    "ratelimit-limit": `${limiter.config.limit};w=${Math.ceil(limiter.config.windowMs / 1000)}`,
    "ratelimit-remaining": String(remaining),
    "ratelimit-reset": String(resetSeconds),
  };
}

// The vendor's 429 as Truto forwards it: remote, with the vendor's body, Retry-After and quota headers.
function vendorLimited(limiter: SlidingWindowLimiter, account: AccountIndex): SandboxHttpError {
  const { id, integration } = account.account;
  const rules = rulesFor(integration);
  const headers = quotaHeaders(limiter, id);
  headers["retry-after"] = headers["ratelimit-reset"];
  const detail =
    `${rules.label} rate limited integrated account ${id}: its quota of ${describeLimit(limiter.config)} is used up. ` +
    `Retry after ${headers["retry-after"]} seconds.`;
  return vendorError(
    rules.vendor,
    "rate_limited",
    { id, detail },
    {
      headers,
      insight: { rate_limit_error: { description: "The remote API rate limited this request.", value: { ...headers } } },
    },
  );
}

/** A /unified request counted in its account's windows; `settle` finishes its answer. */
export interface Admission {
  /**
   * Adds the vendor's quota headers to an answer the vendor gave (a success or a remote error). Truto's own
   * errors never reached the vendor: they take the request back out of the quota and carry no headers.
   */
  settle(result: RouteResult): RouteResult;
}

const NOTHING_TO_SETTLE: Admission = { settle: (result) => result };

/**
 * Admits a /unified request for `account`: Truto's 429 when the account's window is full, else the vendor's
 * 429 when `callsVendor` and its quota is used up, else the request is counted in both. Nothing is counted
 * unless the request gets through every window.
 */
export function admitUnified(rt: SandboxRuntime, account: AccountIndex, callsVendor: boolean): Admission {
  const id = account.account.id;
  const limit = rt.limiters.rateLimit;
  const quota = callsVendor ? rt.limiters.vendorQuota : undefined;
  if (limit && !limit.hasRoom(id)) throw trutoLimited(limit, `integrated account ${id}`);
  if (quota && !quota.hasRoom(id)) throw vendorLimited(quota, account);
  limit?.take(id);
  if (!quota) return NOTHING_TO_SETTLE;
  const ticket = quota.take(id);
  return {
    settle(result) {
      const trutoOwn = result.status >= 400 && (result.body as { truto_is_remote_error?: unknown } | null)?.truto_is_remote_error !== true;
      if (trutoOwn) {
        ticket.release();
        return result;
      }
      return { ...result, headers: { ...result.headers, ...quotaHeaders(quota, id) } };
    },
  };
}
