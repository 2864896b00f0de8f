/**
 * The vendor's quota behind Truto: when set, every /unified answer the vendor gave carries Truto's normalised
 * `ratelimit-limit` / `-remaining` / `-reset` headers for it, and past it the vendor's 429 comes through Truto as a
 * remote error. Truto's own errors never reached the vendor: no headers, and no slot used.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox, type SandboxResponse } from "../support/sandbox-fixture";

const { accounts, jumpcloud, slackenterprise: slack } = SEED_IDS;
const USER = `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`;
const NOBODY = `/unified/user-directory/users/nobody?integrated_account_id=${accounts.jumpcloud}`;
const ASSIGN = `/unified/user-directory/users/assign-role?integrated_account_id=${accounts.jumpcloud}`;
const SLACK_USERS = `/unified/user-directory/users?integrated_account_id=${accounts.slackenterprise}`;
const QUOTA = { limit: 3, windowMs: 2000 };

function quotaHeaders(response: SandboxResponse) {
  return {
    limit: response.headers["ratelimit-limit"],
    remaining: response.headers["ratelimit-remaining"],
    reset: Number(response.headers["ratelimit-reset"]),
  };
}

function assertReset(response: SandboxResponse, atMost: number): void {
  const reset = Number(response.headers["ratelimit-reset"]);
  assert.ok(Number.isInteger(reset) && reset >= 1 && reset <= atMost, `ratelimit-reset ${response.headers["ratelimit-reset"]}`);
}

function wait(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 50));
}

describe("sandbox vendor quota", () => {
  const sb = useSandbox({ vendorQuota: QUOTA, rateLimit: false, tokenRateLimit: false });

  it("puts the quota on every answer the vendor gave: successes and the vendor's errors alike", async () => {
    const answers = [
      await sb.call("GET", USER),
      await sb.call("POST", ASSIGN, { body: { id: jumpcloud.users.alice, roles: [{ id: "manager" }] } }),
    ];
    answers.push(await sb.call("GET", NOBODY));
    assert.deepEqual(
      answers.map((r) => [r.status, r.headers["ratelimit-limit"], r.headers["ratelimit-remaining"]]),
      [
        [200, "3;w=2", "2"],
        [200, "3;w=2", "1"],
        [404, "3;w=2", "0"],
      ],
    );
    assert.equal(answers[2].body.truto_is_remote_error, true);
    for (const answer of answers) assertReset(answer, 2);
  });

  it("answers the vendor's 429 through Truto once the quota is used up, and counts no rejected request", async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await sb.call("GET", USER)).status, 200);
    const limited = await sb.call("GET", USER);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.statusCode, 429);
    assert.equal(limited.body.error, "Too Many Requests");
    assert.equal(limited.body.truto_is_remote_error, true);
    assert.deepEqual(limited.body.raw_response, { error: "rate_limited", message: limited.body.message }, "JumpCloud's wording");
    assert.match(limited.body.message, /quota of 3 requests per 2 s/);
    assert.ok(limited.body.truto_error_insight.rate_limit_error, "rate_limit_error insight");
    assert.ok(limited.body.truto_error_insight.remote_error, "remote_error insight");
    const headers = quotaHeaders(limited);
    assert.equal(headers.limit, "3;w=2");
    assert.equal(headers.remaining, "0");
    assert.equal(limited.headers["retry-after"], String(headers.reset), "the vendor's Retry-After is the reset");
    assertReset(limited, 2);
    for (let i = 0; i < 3; i += 1) assert.equal((await sb.call("GET", USER)).status, 429);
    await wait(headers.reset);
    const after = await sb.call("GET", USER);
    assert.equal(after.status, 200);
    assert.equal(after.headers["ratelimit-remaining"], "2", "none of the four 429s took a slot");
  });

  it("words the vendor's 429 as the account's vendor does (Slack)", async () => {
    for (let i = 0; i < 3; i += 1) await sb.call("GET", SLACK_USERS);
    const limited = await sb.call("GET", SLACK_USERS);
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body.raw_response, { ok: false, error: "ratelimited" });
  });

  it("sends no headers with Truto's own errors, and does not count them", async () => {
    const missing = await sb.call("POST", ASSIGN, { body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.truto_is_remote_error, undefined);
    assert.equal(missing.headers["ratelimit-limit"], undefined);
    const noAccount = await sb.call("GET", "/unified/user-directory/users");
    assert.equal(noAccount.status, 400);
    assert.equal(noAccount.headers["ratelimit-limit"], undefined);
    assert.equal((await sb.call("GET", USER)).headers["ratelimit-remaining"], "2", "the 400s took no slot");
  });

  it("keeps a separate quota per integrated account, and none on /integrated-account", async () => {
    for (let i = 0; i < 4; i += 1) await sb.call("GET", USER);
    assert.equal((await sb.call("GET", SLACK_USERS)).headers["ratelimit-remaining"], "2");
    const account = await sb.call("GET", `/integrated-account/${accounts.jumpcloud}`);
    assert.equal(account.status, 200);
    assert.equal(account.headers["ratelimit-limit"], undefined);
  });

  it("lets Truto's own account limit answer first, without the vendor's headers", async () => {
    await sb.admin.config({ rateLimit: { limit: 1, windowMs: 10_000 } });
    assert.equal((await sb.call("GET", USER)).status, 200);
    const limited = await sb.call("GET", USER);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.truto_is_remote_error, undefined);
    assert.equal(limited.headers["ratelimit-limit"], undefined);
    assert.equal(limited.headers["retry-after"], "10");
  });

  it("is changed and switched off through the config API", async () => {
    const settings = await sb.admin.config({ vendorQuota: { limit: 100, windowMs: 60_000 } });
    assert.deepEqual(settings.vendorQuota, { limit: 100, windowMs: 60_000 });
    const response = await sb.call("GET", USER);
    assert.equal(response.headers["ratelimit-limit"], "100;w=60");
    assert.equal(response.headers["ratelimit-remaining"], "99");
    assertReset(response, 60);
    assert.ok(Number(response.headers["ratelimit-reset"]) > 50, "the reset counts down from the window");
    await sb.admin.config({ vendorQuota: false });
    assert.equal((await sb.call("GET", USER)).headers["ratelimit-limit"], undefined);
  });

  it("answers the vendor's 401 for a needs_reauth account with the quota headers, since the vendor answered", async () => {
    const state = await sb.admin.state();
    state.accounts.find((a) => a.id === accounts.slackenterprise)!.status = "needs_reauth";
    await sb.admin.putState(state);
    const response = await sb.call(
      "GET",
      `/unified/user-directory/users/${slack.users.alice}?integrated_account_id=${accounts.slackenterprise}`,
    );
    assert.equal(response.status, 401);
    assert.deepEqual(response.body.raw_response, { ok: false, error: "invalid_auth" });
    assert.equal(response.headers["ratelimit-remaining"], "2");
  });
});
