/**
 * Truto's own two limits as the sandbox models them: per integrated account on /unified, per API token on every
 * API request. Both answer Truto's three-field 429 with Retry-After of a whole window and no ratelimit-* headers
 * (those stand for the vendor's quota; see sandbox-vendor-quota.test.ts), and neither counts a rejected request.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS, startSandbox } from "../../src/sandbox";
import { useSandbox, type SandboxFixture, type SandboxResponse } from "../support/sandbox-fixture";

const { accounts, jumpcloud } = SEED_IDS;
const USER = `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`;
const ROLES = `/unified/user-directory/roles?integrated_account_id=${accounts.teamviewer}`;
const ACCOUNT = `/integrated-account/${accounts.jumpcloud}`;

function wait(seconds: number): Promise<void> {
  // A little over Retry-After: timers may fire a hair early against the server's clock.
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 50));
}

function rateLimitHeaders(response: SandboxResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith("ratelimit"));
}

/** Truto's own 429: the three fields only, Retry-After of the window, and no ratelimit-* headers. */
function assertTrutoLimited(response: SandboxResponse, retryAfter: number, says: RegExp): void {
  assert.equal(response.status, 429, response.text);
  assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"], "no truto_is_remote_error, no raw_response");
  assert.equal(response.body.statusCode, 429);
  assert.equal(response.body.error, "Too Many Requests");
  assert.match(response.body.message, says);
  assert.equal(response.headers["retry-after"], String(retryAfter));
  assert.deepEqual(rateLimitHeaders(response), [], "Truto's own window is not sent as ratelimit-* headers");
}

async function statuses(sb: SandboxFixture, count: number, path: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) out.push((await sb.call("GET", path)).status);
  return out;
}

describe("sandbox rate limits", () => {
  describe("per integrated account", () => {
    const sb = useSandbox({ rateLimit: { limit: 5, windowMs: 1000 }, tokenRateLimit: false });

    it("allows the limit, then answers Truto's 429 naming the account and its numbers, and lets it through after Retry-After", async () => {
      for (let i = 0; i < 5; i += 1) {
        const response = await sb.call("GET", USER);
        assert.equal(response.status, 200);
        assert.deepEqual(rateLimitHeaders(response), [], "no vendor quota is set, so no ratelimit-* headers");
      }
      const limited = await sb.call("GET", USER);
      assertTrutoLimited(limited, 1, new RegExp(`integrated account ${accounts.jumpcloud} exceeded \\(5 requests per 1 s\\)`));
      await wait(1);
      assert.equal((await sb.call("GET", USER)).status, 200);
    });

    it("does not count rejected requests: after one window only new requests are in it", async () => {
      assert.deepEqual(await statuses(sb, 10, USER), [200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
      await wait(1);
      assert.deepEqual(await statuses(sb, 6, USER), [200, 200, 200, 200, 200, 429], "the five 429s took no slots");
    });

    it("keeps a separate window per integrated account", async () => {
      await statuses(sb, 6, USER);
      assert.deepEqual(await statuses(sb, 5, ROLES), [200, 200, 200, 200, 200]);
    });

    it("does not limit /integrated-account", async () => {
      assert.deepEqual(await statuses(sb, 8, ACCOUNT), [200, 200, 200, 200, 200, 200, 200, 200]);
    });

    it("can be switched off and changed at run time", async () => {
      await sb.admin.config({ rateLimit: false });
      assert.deepEqual(await statuses(sb, 8, USER), [200, 200, 200, 200, 200, 200, 200, 200]);
      const settings = await sb.admin.config({ rateLimit: { limit: 2, windowMs: 60_000 } });
      assert.deepEqual(settings.rateLimit, { limit: 2, windowMs: 60_000 });
      assert.deepEqual(await statuses(sb, 2, USER), [200, 200]);
      assertTrutoLimited(await sb.call("GET", USER), 60, /2 requests per 60 s/);
    });
  });

  describe("per API token", () => {
    const sb = useSandbox({ rateLimit: false, tokenRateLimit: { limit: 4, windowMs: 1000 } });

    it("counts every API request of the token across accounts and routes, and answers Truto's 429 naming the token's limit", async () => {
      assert.equal((await sb.call("GET", USER)).status, 200);
      assert.equal((await sb.call("GET", ROLES)).status, 200);
      assert.equal((await sb.call("GET", ACCOUNT)).status, 200);
      assert.equal((await sb.call("GET", "/unified/user-directory/nothing-here?integrated_account_id=x")).status, 404);
      const limited = await sb.call("GET", ACCOUNT);
      assertTrutoLimited(limited, 1, /API token exceeded \(4 requests per 1 s\)/);
      assert.ok(!limited.text.includes(sb.token), "the 429 never echoes the token");
      await wait(1);
      assert.equal((await sb.call("GET", USER)).status, 200);
    });

    it("does not count the admin API, unauthenticated requests, or rejected requests", async () => {
      for (let i = 0; i < 6; i += 1) await sb.admin.state();
      for (let i = 0; i < 6; i += 1) assert.equal((await sb.call("GET", USER, { token: "sbx_wrong" })).status, 401);
      assert.deepEqual(await statuses(sb, 7, USER), [200, 200, 200, 200, 429, 429, 429]);
      await wait(1);
      assert.deepEqual(await statuses(sb, 5, USER), [200, 200, 200, 200, 429]);
    });

    it("applies before faults: a request over the limit gets the 429 and leaves the fault armed", async () => {
      await statuses(sb, 4, ACCOUNT);
      await sb.admin.faults({ method: "GET", path: "/integrated-account/*", count: 1, status: 500 });
      assert.equal((await sb.call("GET", ACCOUNT)).status, 429);
      assert.equal((await sb.admin.listFaults())[0]?.remaining, 1);
    });

    it("is set, shown and switched off through the config API", async () => {
      assert.deepEqual((await sb.admin.config({})).tokenRateLimit, { limit: 4, windowMs: 1000 });
      await sb.admin.config({ tokenRateLimit: false });
      assert.deepEqual(await statuses(sb, 8, ACCOUNT), [200, 200, 200, 200, 200, 200, 200, 200]);
      const config = await sb.call("GET", "/_sandbox/config");
      assert.equal(config.body.tokenRateLimit, false);
    });
  });

  describe("both on, with Truto's defaults", () => {
    const sb = useSandbox();

    it("starts at 50 per 10 s per account and 500 per 10 s per token, with no vendor quota", async () => {
      const config = await sb.call("GET", "/_sandbox/config");
      assert.deepEqual(config.body, {
        rateLimit: { limit: 50, windowMs: 10_000 },
        tokenRateLimit: { limit: 500, windowMs: 10_000 },
        vendorQuota: false,
        latencyMs: 0,
        strictIdempotency: false,
      });
    });

    it("answers Retry-After: 10, as Truto does, when an account's 50 are used", async () => {
      const results = await Promise.all(Array.from({ length: 51 }, () => sb.call("GET", USER)));
      const limited = results.filter((r) => r.status === 429);
      assert.equal(limited.length, 1);
      assertTrutoLimited(limited[0], 10, /integrated account .* \(50 requests per 10 s\)/);
    });

    it("answers the token's 429 when the account limit has room but the token's window is full", async () => {
      await sb.admin.config({ tokenRateLimit: { limit: 3, windowMs: 10_000 } });
      await statuses(sb, 3, ROLES);
      assertTrutoLimited(await sb.call("GET", USER), 10, /API token/);
    });

    it("takes a request the account's limit rejects back out of the token's window", async () => {
      await sb.admin.config({ rateLimit: { limit: 2, windowMs: 10_000 }, tokenRateLimit: { limit: 4, windowMs: 10_000 } });
      assert.deepEqual(await statuses(sb, 5, USER), [200, 200, 429, 429, 429], "account limit");
      assert.deepEqual(await statuses(sb, 3, ROLES), [200, 200, 429], "two token slots were left, whatever the 429s");
      assert.match((await sb.call("GET", ACCOUNT)).body.message, /API token/);
    });
  });

  describe("validation", () => {
    const sb = useSandbox();

    for (const field of ["rateLimit", "tokenRateLimit", "vendorQuota"]) {
      it(`rejects a ${field} change it cannot understand`, async () => {
        const response = await sb.call("PATCH", "/_sandbox/config", { body: { [field]: { limit: 0, windowMs: 10 } } });
        assert.equal(response.status, 400);
        assert.match(response.body.message, /config change is not valid/);
        assert.match(response.body.message, new RegExp(field));
      });
    }

    it("refuses bad start-up options, naming each", async () => {
      await assert.rejects(
        startSandbox({ tokenRateLimit: { limit: 0, windowMs: 1000 }, vendorQuota: { limit: 5, windowMs: 0.5 } }),
        /tokenRateLimit\.limit must be a whole number of at least 1; vendorQuota\.windowMs must be a whole number of at least 1/,
      );
    });
  });
});
