import { strict as assert } from "node:assert";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, jumpcloud, teamviewer } = SEED_IDS;
const ASSIGN_PATH = "/unified/user-directory/users/assign-role";
const ASSIGN = `${ASSIGN_PATH}?integrated_account_id=${accounts.jumpcloud}`;
const UNASSIGN = `/unified/user-directory/users/unassign-role?integrated_account_id=${accounts.jumpcloud}`;
const GRANT = { id: jumpcloud.users.alice, roles: [{ id: "manager" }] };

describe("sandbox idempotency keys", () => {
  const sb = useSandbox();
  const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

  async function aliceRoles(): Promise<unknown> {
    const state = await sb.admin.state();
    return state.users.find((u) => u.accountId === accounts.jumpcloud && u.id === jumpcloud.users.alice)?.roles;
  }

  it("replays the first response for a repeated key without applying the change again", async () => {
    const first = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k1") });
    assert.equal(first.status, 200);
    assert.equal(first.headers["idempotent-replayed"], undefined);
    // Revoke out of band; a re-applied grant would put the role back.
    await sb.call("POST", UNASSIGN, { body: GRANT });
    const replay = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k1") });
    assert.equal(replay.status, first.status);
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers["idempotent-replayed"], "true");
    assert.deepEqual(await aliceRoles(), [], "the replay did not grant again");
  });

  it("applies again for a new key", async () => {
    await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k1") });
    await sb.call("POST", UNASSIGN, { body: GRANT });
    const other = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k2") });
    assert.equal(other.status, 200);
    assert.deepEqual(await aliceRoles(), [{ id: "manager" }]);
  });

  it("scopes keys by path and by integrated account", async () => {
    await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("shared") });
    const revoke = await sb.call("POST", UNASSIGN, { body: GRANT, ...keyed("shared") });
    assert.equal(revoke.status, 200);
    assert.deepEqual(revoke.body.result.roles, [], "a different path is a different key");
    const elsewhere = await sb.call("POST", `${ASSIGN_PATH}?integrated_account_id=${accounts.teamviewer}`, {
      body: { id: teamviewer.users.alice, roles: [{ id: "tv-role-admin" }] },
      ...keyed("shared"),
    });
    assert.equal(elsewhere.status, 200);
    assert.equal(elsewhere.body.result.id, teamviewer.users.alice, "a different account is a different key");
  });

  it("does not cache failures: a retry with the same key runs again", async () => {
    const invalid = await sb.call("POST", ASSIGN, { body: { id: jumpcloud.users.alice }, ...keyed("k3") });
    assert.equal(invalid.status, 400);
    await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, status: 503 });
    const faulted = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k3") });
    assert.equal(faulted.status, 503);
    const retried = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k3") });
    assert.equal(retried.status, 200);
    assert.equal(retried.headers["idempotent-replayed"], undefined);
    assert.deepEqual(await aliceRoles(), [{ id: "manager" }]);
  });

  it("applies concurrent repeats of one key once (strict mode would 409 a second grant)", async () => {
    await sb.admin.config({ strictIdempotency: true });
    const attempts = await Promise.all([1, 2, 3].map(() => sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k4") })));
    assert.deepEqual(
      attempts.map((a) => a.status),
      [200, 200, 200],
    );
    assert.deepEqual(attempts[1].body, attempts[0].body);
    assert.deepEqual(await aliceRoles(), [{ id: "manager" }]);
  });

  it("forgets keys on reset", async () => {
    await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k5") });
    await sb.admin.reset();
    const again = await sb.call("POST", ASSIGN, { body: GRANT, ...keyed("k5") });
    assert.equal(again.headers["idempotent-replayed"], undefined);
    assert.deepEqual(await aliceRoles(), [{ id: "manager" }]);
  });
});
