/**
 * Every error the sandbox answers as the vendor behind Truto (`truto_is_remote_error: true`) carries the vendor's
 * own body as `raw_response`, worded as that vendor words errors; Truto's own errors have only statusCode, error
 * and message (truto-api-notes §4.3).
 */
import { strict as assert } from "node:assert";
import { SEED_IDS, type SandboxAccount } from "../../src/sandbox";
import { useSandbox, type SandboxResponse } from "../support/sandbox-fixture";

const { accounts } = SEED_IDS;
const USERS = "/unified/user-directory/users";

function usersOf(accountId: string): string {
  return `${USERS}?integrated_account_id=${accountId}`;
}

function assertRemote(response: SandboxResponse, status: number): any {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body.statusCode, status);
  assert.equal(response.body.truto_is_remote_error, true);
  assert.ok(response.body.raw_response !== undefined, "raw_response is there");
  assert.deepEqual(response.body.truto_error_insight.remote_error.value, response.body.raw_response);
  return response.body.raw_response;
}

function assertTrutoOwn(response: SandboxResponse, status: number): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body.raw_response, undefined, `${status}: Truto's own error has no raw_response`);
  assert.equal(response.body.truto_is_remote_error, undefined);
}

describe("sandbox remote errors carry raw_response", () => {
  const sb = useSandbox({ rateLimit: false });

  async function setAccount(id: string, change: Partial<SandboxAccount>): Promise<void> {
    const state = await sb.admin.state();
    Object.assign(
      state.accounts.find((a) => a.id === id)!,
      change,
    );
    await sb.admin.putState(state);
  }

  describe("an injected remote fault, worded as the account's vendor", () => {
    const cases: [keyof typeof accounts, (message: string) => unknown][] = [
      ["slackenterprise", () => ({ ok: false, error: "service_unavailable" })],
      ["elasticcloud", (message) => ({ errors: [{ code: "request.service_unavailable", message }] })],
      ["jumpcloud", (message) => ({ error: "service_unavailable", message })],
      ["crowdstrike", (message) => ({ meta: { query_time: 0 }, resources: [], errors: [{ code: 503, message }] })],
      ["teamviewer", (message) => ({ error: "internal_error", error_description: message })],
      ["blackline", (message) => ({ error: { code: "service_unavailable", message } })],
    ];
    for (const [slug, expected] of cases) {
      it(slug, async () => {
        await sb.admin.faults({ method: "GET", path: USERS, count: 1, status: 503, remote: true });
        const response = await sb.call("GET", usersOf(accounts[slug]));
        assert.deepEqual(assertRemote(response, 503), expected(response.body.message));
      });
    }

    it("generic when the call names no known account", async () => {
      await sb.admin.faults({ method: "GET", path: USERS, count: 1, status: 502, remote: true });
      const response = await sb.call("GET", usersOf("no-such-account"));
      assert.deepEqual(assertRemote(response, 502), { error: { code: "bad_gateway", message: response.body.message } });
    });

    it("as Slack's ratelimited for a remote 429", async () => {
      await sb.admin.faults({ method: "GET", path: USERS, count: 1, status: 429, remote: true, retryAfter: 3 });
      const response = await sb.call("GET", usersOf(accounts.slackenterprise));
      assert.deepEqual(assertRemote(response, 429), { ok: false, error: "ratelimited" });
      assert.equal(response.headers["retry-after"], "3");
    });
  });

  it("on the vendor's 401 for an account that needs re-authentication", async () => {
    await setAccount(accounts.jumpcloud, { status: "needs_reauth" });
    await setAccount(accounts.elasticcloud, { status: "needs_reauth" });
    const jump = assertRemote(await sb.call("GET", usersOf(accounts.jumpcloud)), 401);
    assert.equal(jump.error, "unauthorized");
    const elastic = assertRemote(await sb.call("GET", usersOf(accounts.elasticcloud)), 401);
    assert.equal(elastic.errors[0].code, "root.unauthenticated");
  });

  it("on the vendor's own failures, e.g. CrowdStrike's and TeamViewer's unknown user", async () => {
    const crowdstrike = assertRemote(await sb.call("GET", `${USERS}/nobody?integrated_account_id=${accounts.crowdstrike}`), 404);
    assert.deepEqual(crowdstrike.errors, [{ code: 404, message: crowdstrike.errors[0].message }]);
    assert.match(crowdstrike.errors[0].message, /CrowdStrike has no user "nobody"/);
    const teamviewer = assertRemote(await sb.call("GET", `${USERS}/nobody?integrated_account_id=${accounts.teamviewer}`), 404);
    assert.equal(teamviewer.error, "not_found");
  });

  it("never on Truto's own errors", async () => {
    assertTrutoOwn(await sb.call("GET", USERS), 400);
    assertTrutoOwn(await sb.call("GET", usersOf("no-such-account")), 404);
    assertTrutoOwn(await sb.call("POST", `${USERS}/assign-role?integrated_account_id=${accounts.jumpcloud}`, { body: {} }), 400);
    assertTrutoOwn(await sb.call("GET", "/unified/user-directory/nowhere?integrated_account_id=x"), 404);
    await sb.admin.faults({ method: "GET", path: USERS, count: 1, status: 500 });
    assertTrutoOwn(await sb.call("GET", usersOf(accounts.jumpcloud)), 500);
    await setAccount(accounts.teamviewer, { isSandbox: true });
    assertTrutoOwn(await sb.call("POST", `${USERS}/assign-role?integrated_account_id=${accounts.teamviewer}`, { body: {} }), 405);
    await setAccount(accounts.jumpcloud, { blocked: true });
    assertTrutoOwn(await sb.call("GET", usersOf(accounts.jumpcloud)), 503);
  });
});
