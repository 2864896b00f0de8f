import { strict as assert } from "node:assert";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, jumpcloud } = SEED_IDS;
const USER = `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`;

function wait(seconds: number): Promise<void> {
  // A little over Retry-After: timers may fire a hair early against the server's clock.
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 50));
}

describe("sandbox rate limit", () => {
  const sb = useSandbox({ rateLimit: { limit: 5, windowMs: 1000 } });

  it("allows the limit, answers the next with 429 and Retry-After, and lets it through after waiting", async () => {
    for (let i = 0; i < 5; i += 1) {
      const response = await sb.call("GET", USER);
      assert.equal(response.status, 200);
      assert.equal(response.headers["ratelimit-limit"], "5;w=1");
      assert.equal(response.headers["ratelimit-remaining"], String(4 - i));
      assert.ok(Number(response.headers["ratelimit-reset"]) >= 1);
    }
    const limited = await sb.call("GET", USER);
    assert.equal(limited.status, 429);
    assert.deepEqual(Object.keys(limited.body).sort(), ["error", "message", "statusCode"]);
    assert.equal(limited.body.error, "Too Many Requests");
    assert.match(limited.body.message, new RegExp(accounts.jumpcloud));
    const retryAfter = Number(limited.headers["retry-after"]);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${limited.headers["retry-after"]}`);
    assert.equal(limited.headers["ratelimit-remaining"], "0");
    await wait(retryAfter);
    const after = await sb.call("GET", USER);
    assert.equal(after.status, 200, after.text);
  });

  it("does not count rejected requests", async () => {
    for (let i = 0; i < 5; i += 1) assert.equal((await sb.call("GET", USER)).status, 200);
    let retryAfter = 1;
    for (let i = 0; i < 5; i += 1) {
      const limited = await sb.call("GET", USER);
      assert.equal(limited.status, 429);
      retryAfter = Number(limited.headers["retry-after"]);
    }
    await wait(retryAfter);
    const after = await sb.call("GET", USER);
    assert.equal(after.status, 200);
    assert.equal(after.headers["ratelimit-remaining"], "4", "only this request is in the window");
  });

  it("keeps a separate window per integrated account", async () => {
    for (let i = 0; i < 6; i += 1) await sb.call("GET", USER);
    const other = await sb.call("GET", `/unified/user-directory/roles?integrated_account_id=${accounts.teamviewer}`);
    assert.equal(other.status, 200);
    assert.equal(other.headers["ratelimit-remaining"], "4");
  });

  it("does not limit /integrated-account", async () => {
    for (let i = 0; i < 8; i += 1) {
      const response = await sb.call("GET", `/integrated-account/${accounts.jumpcloud}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers["ratelimit-limit"], undefined);
    }
  });

  it("can be switched off and changed at run time", async () => {
    await sb.admin.config({ rateLimit: false });
    for (let i = 0; i < 8; i += 1) {
      const response = await sb.call("GET", USER);
      assert.equal(response.status, 200);
      assert.equal(response.headers["ratelimit-limit"], undefined);
    }
    await sb.admin.config({ rateLimit: { limit: 2, windowMs: 60_000 } });
    assert.equal((await sb.call("GET", USER)).status, 200);
    assert.equal((await sb.call("GET", USER)).status, 200);
    const limited = await sb.call("GET", USER);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers["ratelimit-limit"], "2;w=60");
  });

  it("rejects a config change it cannot understand", async () => {
    const response = await sb.call("PATCH", "/_sandbox/config", { body: { rateLimit: { limit: 0, windowMs: 10 } } });
    assert.equal(response.status, 400);
    assert.match(response.body.message, /config change is not valid/);
  });
});
