/**
 * The retry policy as data: which outcomes are retried, how long to wait, and when to give up.
 */
import { strict as assert } from "node:assert";
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  retryAfterFromHeaders,
  retryDecision,
  type AttemptOutcome,
  type RetryPolicy,
} from "../../src/truto/retry";

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
const status = (s: number, extra: Partial<{ remote: boolean; retryAfterMs: number }> = {}): AttemptOutcome => ({
  kind: "status",
  status: s,
  remote: extra.remote ?? true,
  ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
});
const lowest = () => 0;
const highest = () => 1;

describe("retry", () => {
  describe("defaults", () => {
    it("documents 6 attempts, 250 ms doubling, 15 s per wait, 2 minutes per call", () => {
      assert.deepEqual(
        {
          ...DEFAULT_RETRY_POLICY,
          retryStatuses: [...DEFAULT_RETRY_POLICY.retryStatuses],
          noRetryTrutoStatuses: [...DEFAULT_RETRY_POLICY.noRetryTrutoStatuses],
        },
        {
          maxAttempts: 6,
          baseDelayMs: 250,
          maxDelayMs: 15_000,
          budgetMs: 120_000,
          retryStatuses: [429, 502, 503, 504],
          retry5xx: true,
          noRetryTrutoStatuses: [503],
        },
      );
    });

    it("cannot be changed by accident", () => {
      assert.equal(Object.isFrozen(DEFAULT_RETRY_POLICY), true);
    });
  });

  describe("retryDecision", () => {
    for (const s of [400, 401, 403, 404, 409, 422]) {
      for (const remote of [true, false]) {
        it(`never retries ${s} (${remote ? "vendor" : "Truto"})`, () => {
          assert.deepEqual(retryDecision(status(s, { remote }), 1, 0, policy), { retry: false, reason: "not-retryable" });
        });
      }
    }

    it("never retries a 4xx even when the server sends Retry-After", () => {
      assert.deepEqual(retryDecision(status(409, { retryAfterMs: 100 }), 1, 0, policy), { retry: false, reason: "not-retryable" });
    });

    for (const s of [429, 502, 503, 504]) {
      it(`retries ${s}`, () => {
        assert.equal(retryDecision(status(s), 1, 0, policy).retry, true);
      });
    }

    it("never retries Truto's own 503 (the account is blocked), but retries the vendor's 503", () => {
      assert.deepEqual(retryDecision(status(503, { remote: false }), 1, 0, policy), { retry: false, reason: "not-retryable" });
      assert.deepEqual(retryDecision(status(503, { remote: false, retryAfterMs: 0 }), 1, 0, policy), {
        retry: false,
        reason: "not-retryable",
      });
      assert.equal(retryDecision(status(503, { remote: true }), 1, 0, policy).retry, true);
      assert.equal(isRetryable(status(503, { remote: false }), { ...policy, noRetryTrutoStatuses: [] }), true);
    });

    it("retries timeouts and network failures", () => {
      assert.equal(retryDecision({ kind: "timeout" }, 1, 0, policy).retry, true);
      assert.equal(retryDecision({ kind: "network" }, 1, 0, policy).retry, true);
    });

    it("retries a 500 whether Truto or the vendor produced it, with the same backoff", () => {
      assert.equal(isRetryable(status(500, { remote: false }), policy), true);
      assert.equal(isRetryable(status(500, { remote: true }), policy), true);
      assert.deepEqual(
        retryDecision(status(500, { remote: true }), 2, 0, policy, lowest),
        retryDecision({ kind: "network" }, 2, 0, policy, lowest),
      );
      for (const remote of [true, false]) assert.equal(isRetryable(status(500, { remote }), { ...policy, retry5xx: false }), false);
    });

    it("backs off exponentially with jitter between half and all of the step", () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const step = 250 * 2 ** (attempt - 1);
        assert.deepEqual(
          retryDecision({ kind: "network" }, attempt, 0, policy, lowest),
          { retry: true, delayMs: step / 2 },
          `attempt ${attempt}`,
        );
        assert.deepEqual(
          retryDecision({ kind: "network" }, attempt, 0, policy, highest),
          { retry: true, delayMs: step },
          `attempt ${attempt}`,
        );
      }
    });

    it("caps the backoff at maxDelayMs", () => {
      const wide: RetryPolicy = { ...policy, maxAttempts: 30, budgetMs: 10_000_000 };
      const d = retryDecision({ kind: "network" }, 20, 0, wide, highest);
      assert.deepEqual(d, { retry: true, delayMs: wide.maxDelayMs });
    });

    it("honours retryAfterMs instead of the backoff", () => {
      assert.deepEqual(retryDecision(status(429, { retryAfterMs: 7_000 }), 1, 0, policy, highest), { retry: true, delayMs: 7_000 });
      assert.deepEqual(retryDecision(status(503, { retryAfterMs: 0 }), 3, 0, policy, highest), { retry: true, delayMs: 0 });
    });

    it("treats a negative retryAfterMs as no wait", () => {
      assert.deepEqual(retryDecision(status(429, { retryAfterMs: -50 }), 1, 0, policy), { retry: true, delayMs: 0 });
    });

    it("gives up rather than wait longer than maxDelayMs when Retry-After asks for more", () => {
      assert.deepEqual(retryDecision(status(429, { retryAfterMs: policy.maxDelayMs + 1 }), 1, 0, policy), {
        retry: false,
        reason: "budget",
      });
      assert.deepEqual(retryDecision(status(429, { retryAfterMs: policy.maxDelayMs }), 1, 0, policy), {
        retry: true,
        delayMs: policy.maxDelayMs,
      });
    });

    it("stops after maxAttempts", () => {
      assert.equal(retryDecision({ kind: "timeout" }, policy.maxAttempts - 1, 0, policy).retry, true);
      assert.deepEqual(retryDecision({ kind: "timeout" }, policy.maxAttempts, 0, policy), { retry: false, reason: "attempts" });
      assert.deepEqual(retryDecision({ kind: "timeout" }, 1, 0, { ...policy, maxAttempts: 1 }), { retry: false, reason: "attempts" });
    });

    it("stops when the wait would reach the call's budget", () => {
      const asked = status(429, { retryAfterMs: 5_000 });
      assert.equal(retryDecision(asked, 1, policy.budgetMs - 5_001, policy).retry, true);
      assert.deepEqual(retryDecision(asked, 1, policy.budgetMs - 5_000, policy), { retry: false, reason: "budget" });
      assert.deepEqual(retryDecision({ kind: "network" }, 1, policy.budgetMs, policy, lowest), { retry: false, reason: "budget" });
    });

    it("uses the policy's statuses, not a fixed list", () => {
      const custom: RetryPolicy = { ...policy, retryStatuses: [408], retry5xx: false };
      assert.equal(retryDecision(status(408), 1, 0, custom).retry, true);
      assert.equal(retryDecision(status(429), 1, 0, custom).retry, false);
    });
  });

  describe("retryAfterFromHeaders", () => {
    const NOW = Date.parse("2026-01-01T00:00:00Z");

    it("reads Retry-After in seconds", () => {
      assert.equal(retryAfterFromHeaders({ "retry-after": "3" }, NOW), 3_000);
      assert.equal(retryAfterFromHeaders({ "retry-after": " 1.5 " }, NOW), 1_500);
      assert.equal(retryAfterFromHeaders({ "retry-after": "0" }, NOW), 0);
    });

    it("reads Retry-After as an HTTP date", () => {
      assert.equal(retryAfterFromHeaders({ "retry-after": "Thu, 01 Jan 2026 00:00:04 GMT" }, NOW), 4_000);
    });

    it("never returns a negative wait for a date in the past", () => {
      assert.equal(retryAfterFromHeaders({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, NOW), 0);
    });

    it("falls back to ratelimit-reset seconds", () => {
      assert.equal(retryAfterFromHeaders({ "ratelimit-reset": "7" }, NOW), 7_000);
      assert.equal(retryAfterFromHeaders({ "retry-after": "soon", "ratelimit-reset": "2" }, NOW), 2_000);
    });

    it("prefers Retry-After over ratelimit-reset", () => {
      assert.equal(retryAfterFromHeaders({ "retry-after": "1", "ratelimit-reset": "9" }, NOW), 1_000);
    });

    it("takes the first value of a repeated header", () => {
      assert.equal(retryAfterFromHeaders({ "retry-after": ["2", "9"] }, NOW), 2_000);
    });

    it("returns undefined without a usable header", () => {
      assert.equal(retryAfterFromHeaders({}, NOW), undefined);
      assert.equal(retryAfterFromHeaders({ "retry-after": "later", "ratelimit-reset": "-1" }, NOW), undefined);
      assert.equal(retryAfterFromHeaders({ "retry-after": "" }, NOW), undefined);
    });
  });
});
