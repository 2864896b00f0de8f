/**
 * The sandbox's model of Truto's integrated-account states: `status` and `isSandbox` in its state answer
 * GET /integrated-account/{id}; a blocked account answers 503 to every unified call, a `needs_reauth` one
 * the vendor's 401, and a sandbox account 405 to every unified write; a fault can answer as the vendor.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS, type SandboxAccount } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, jumpcloud } = SEED_IDS;
const ASSIGN_PATH = "/unified/user-directory/users/assign-role";
const ASSIGN = `${ASSIGN_PATH}?integrated_account_id=${accounts.jumpcloud}`;
const GRANT = { id: jumpcloud.users.alice, roles: [{ id: "manager" }] };
const USER = `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`;

describe("sandbox integrated-account states", () => {
  const sb = useSandbox({ rateLimit: false });

  async function setAccount(change: Partial<SandboxAccount>): Promise<void> {
    const state = await sb.admin.state();
    Object.assign(
      state.accounts.find((a) => a.id === accounts.jumpcloud)!,
      change,
    );
    await sb.admin.putState(state);
  }

  async function aliceRoles(): Promise<unknown> {
    return (await sb.admin.state()).users.find((u) => u.accountId === accounts.jumpcloud && u.id === jumpcloud.users.alice)?.roles;
  }

  it("seeds every account active, not a sandbox and not blocked", async () => {
    for (const a of (await sb.admin.state()).accounts)
      assert.deepEqual([a.status ?? "active", a.isSandbox ?? false, a.blocked ?? false], ["active", false, false], a.id);
  });

  it("answers the status and is_sandbox set in its state", async () => {
    await setAccount({ status: "needs_reauth", isSandbox: true });
    const response = await sb.call("GET", `/integrated-account/${accounts.jumpcloud}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.status, "needs_reauth");
    assert.equal(response.body.is_sandbox, true);
  });

  it("rejects a status Truto does not document, naming the field", async () => {
    const state = await sb.admin.state();
    (state.accounts[0] as unknown as Record<string, unknown>).status = "paused";
    await assert.rejects(sb.admin.putState(state), /accounts\[0\]\.status|status/);
  });

  it("answers every unified call of a blocked account with Truto's own 503, and changes nothing", async () => {
    await setAccount({ blocked: true });
    for (const [method, path] of [
      ["POST", ASSIGN],
      ["GET", USER],
    ] as const) {
      const response = await sb.call(method, path, method === "POST" ? { body: GRANT } : {});
      assert.equal(response.status, 503, `${method} ${path}`);
      assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"], "three fields, no truto_is_remote_error");
      assert.match(response.body.message, /blocked/);
    }
    assert.deepEqual(await aliceRoles(), []);
    assert.equal((await sb.call("GET", `/integrated-account/${accounts.jumpcloud}`)).status, 200, "the admin API still answers");
  });

  it("answers every unified call of a needs_reauth account with the vendor's 401", async () => {
    await setAccount({ status: "needs_reauth" });
    const response = await sb.call("GET", USER);
    assert.equal(response.status, 401);
    assert.equal(response.body.truto_is_remote_error, true);
  });

  it("answers a write to a sandbox account with 405, and still serves reads", async () => {
    await setAccount({ isSandbox: true });
    const write = await sb.call("POST", ASSIGN, { body: GRANT });
    assert.equal(write.status, 405);
    assert.equal(write.body.error, "Method Not Allowed");
    assert.equal(write.body.truto_is_remote_error, undefined);
    assert.deepEqual(await aliceRoles(), []);
    assert.equal((await sb.call("GET", USER)).status, 200);
  });

  it("injects a vendor 503 with truto_is_remote_error when a fault says remote", async () => {
    await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, status: 503, remote: true });
    const response = await sb.call("POST", ASSIGN, { body: GRANT });
    assert.equal(response.status, 503);
    assert.equal(response.body.truto_is_remote_error, true);
    assert.equal(response.body.statusCode, 503);
    assert.ok(response.body.truto_error_insight.remote_error);
  });

  it("refuses a fault with both remote and body", async () => {
    await assert.rejects(
      sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, status: 503, remote: true, body: {} }),
      /remote and body/,
    );
  });
});
