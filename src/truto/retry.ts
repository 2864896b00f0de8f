/**
 * When to retry a Truto call and how long to wait: the policy is data with documented defaults, and
 * the decision (`retryDecision`) is apart from the loop that acts on it.
 */

/** Retry settings for one logical call. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; doubles each retry (full jitter). */
  baseDelayMs: number;
  /** No single wait is longer than this, whatever `Retry-After` says. */
  maxDelayMs: number;
  /** The whole logical call (all attempts and waits) must finish within this. */
  budgetMs: number;
  /** Statuses that are retried whatever `retry5xx` says. Truto: 429, and 502/503/504 (no clean vendor answer, or the vendor's own 503). */
  retryStatuses: readonly number[];
  /**
   * Retry every other 5xx, Truto's own and the vendor's: Truto's error model advises retrying its own, and
   * a vendor's 5xx (Slack's `internal_error`, Elastic's 500) is as transient. A retried write is safe: it
   * carries the same Idempotency-Key, and every write is confirmed by reading it back.
   */
  retry5xx: boolean;
  /**
   * Statuses never retried when Truto itself (not the vendor) answered them, whatever the lists above say.
   * Truto's own 503 means the integrated account is blocked: another attempt gets the same answer.
   */
  noRetryTrutoStatuses: readonly number[];
}

/** Defaults: 6 attempts, 250 ms doubling, at most 15 s per wait, 2 minutes per logical call; Truto's own 503 is final. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  budgetMs: 120_000,
  retryStatuses: [429, 502, 503, 504],
  retry5xx: true,
  // "503: integrated account blocked" (Truto error model,
  // https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md).
  noRetryTrutoStatuses: [503],
});

/** What happened on one attempt. */
export type AttemptOutcome =
  { kind: "status"; status: number; remote: boolean; retryAfterMs?: number } | { kind: "timeout" } | { kind: "network" };

/** Whether an outcome is worth another attempt, ignoring budgets. Never 400/401/403/404/409/422, nor Truto's own 503. */
export function isRetryable(outcome: AttemptOutcome, policy: RetryPolicy): boolean {
  if (outcome.kind !== "status") return true;
  if (!outcome.remote && policy.noRetryTrutoStatuses.includes(outcome.status)) return false;
  if (policy.retryStatuses.includes(outcome.status)) return true;
  return policy.retry5xx && outcome.status >= 500;
}

/** The decision for attempt number `attempt` (1-based) that ended with `outcome`. */
export function retryDecision(
  outcome: AttemptOutcome,
  attempt: number,
  elapsedMs: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): { retry: false; reason: "not-retryable" | "attempts" | "budget" } | { retry: true; delayMs: number } {
  if (!isRetryable(outcome, policy)) return { retry: false, reason: "not-retryable" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "attempts" };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + random() * (backoff / 2));
  const asked = outcome.kind === "status" ? outcome.retryAfterMs : undefined;
  const delayMs = asked !== undefined ? Math.min(policy.maxDelayMs, Math.max(asked, 0)) : jittered;
  if (asked !== undefined && asked > policy.maxDelayMs) return { retry: false, reason: "budget" };
  if (elapsedMs + delayMs >= policy.budgetMs) return { retry: false, reason: "budget" };
  return { retry: true, delayMs };
}

/**
 * Milliseconds to wait from a 429's headers: `Retry-After` as seconds or an HTTP date, else
 * `ratelimit-reset` (seconds until the window reopens), else undefined.
 */
export function retryAfterFromHeaders(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const first = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ra = first("retry-after")?.trim();
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.ceil(Number(ra) * 1000);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = first("ratelimit-reset")?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.ceil(Number(reset) * 1000);
  return undefined;
}
