/**
 * The integrated account's own state, through the real provider host against the sandbox: an account that
 * is not active, or a Truto sandbox account, is refused before any write, saying what to do; a delete or
 * refresh of such an account fails and keeps the assignment in state.
 *
 * The host caches an active account per process (getAccount), so each test here changes an account before
 * the host has looked it up; an account that is not active is never cached.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS, type AccountStatus, type SandboxAccount } from "../../src/sandbox";
import { urn } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { hostFailure as failure } from "../support/truto-assertions";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;
const carol = SEED_IDS.jumpcloud.users.carol;
const jumpcloud = (roles: Props[]): Props => ({ integratedAccountId: acct.jumpcloud, integration: "jumpcloud", userId: carol, roles });

const ADVICE: Record<Exclude<AccountStatus, "active">, RegExp> = {
  needs_reauth: /reconnect the account in Truto/,
  connecting: /wait until Truto shows it as active, then run again/,
  post_install_error: /fix the connection in Truto/,
  validation_error: /fix the connection in Truto/,
};

describe("RoleAssignment and the integrated account's status, through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);
  const { withProvider, checked } = provider;

  async function setAccount(id: string, change: Partial<SandboxAccount>): Promise<void> {
    const state = await sandbox.admin.state();
    Object.assign(
      state.accounts.find((a) => a.id === id)!,
      change,
    );
    await sandbox.admin.putState(state);
  }

  async function held(userId = carol): Promise<string[]> {
    const user = (await sandbox.admin.state()).users.find((u) => u.accountId === acct.jumpcloud && u.id === userId);
    return (user?.roles ?? []).map((r) => r.id).sort();
  }

  async function unifiedRequests(): Promise<string[]> {
    return (await sandbox.admin.requests()).filter((e) => e.path.startsWith("/unified/")).map((e) => `${e.method} ${e.path}`);
  }

  // What state holds for a JumpCloud assignment of `manager` to Carol, which the sandbox also shows.
  async function recorded(): Promise<Props> {
    const state = await sandbox.admin.state();
    state.users.find((u) => u.accountId === acct.jumpcloud && u.id === carol)!.roles.push({ id: "manager" });
    await sandbox.admin.putState(state);
    return {
      ...withProvider(jumpcloud([{ id: "manager" }])),
      assignmentId: "jumpcloud:kept",
      heldRoles: [{ id: "manager" }],
      user: { id: carol },
    };
  }

  for (const [status, advice] of Object.entries(ADVICE)) {
    it(`create on a "${status}" account is refused before any write, with what to do`, async () => {
      await setAccount(acct.jumpcloud, { status: status as AccountStatus });
      const ins = await checked(`c-${status}`, jumpcloud([{ id: "manager" }]));
      const err = await failure(provider.host.create(urn(`c-${status}`), ins));
      assert.ok(err.details.startsWith("[TRUTO_ACCOUNT_NOT_ACTIVE] "), err.details);
      assert.match(err.message, new RegExp(`integrated account ${acct.jumpcloud} is not active`));
      assert.match(err.message, new RegExp(`"${status}"`));
      assert.match(err.message, advice);
      assert.match(err.message, /Nothing was written/);
      assert.equal(err.initFailure, undefined, "nothing is recorded");
      assert.deepEqual(await unifiedRequests(), [], "no unified call, let alone a write, was sent");
      assert.deepEqual(await held(), []);
    });
  }

  it("update on a not-active account is refused before any write, and state is unchanged", async () => {
    const olds = await recorded();
    await setAccount(acct.jumpcloud, { status: "needs_reauth" });
    const news = await checked("u-reauth", jumpcloud([{ id: "help-desk" }]), olds);
    const err = await failure(provider.host.update("jumpcloud:kept", urn("u-reauth"), olds, news));
    assert.ok(err.details.startsWith("[TRUTO_ACCOUNT_NOT_ACTIVE] "), err.details);
    assert.match(err.message, /reconnect the account in Truto/);
    assert.deepEqual(await unifiedRequests(), []);
    assert.deepEqual(await held(), ["manager"]);
  });

  it("delete of a not-active account fails and keeps the assignment in state (never assumed revoked)", async () => {
    const olds = await recorded();
    await setAccount(acct.jumpcloud, { status: "validation_error" });
    const err = await failure(provider.host.delete("jumpcloud:kept", urn("d-invalid"), olds));
    assert.ok(err.details.startsWith("[TRUTO_ACCOUNT_NOT_ACTIVE] "), err.details);
    assert.match(err.message, /the assignment stays in state/);
    assert.match(err.message, /fix the connection in Truto/);
    assert.deepEqual(await unifiedRequests(), [], "nothing was revoked");
    assert.deepEqual(await held(), ["manager"]);
  });

  it("refresh of a not-active account fails with the same advice instead of calling the assignment gone", async () => {
    const olds = await recorded();
    await setAccount(acct.jumpcloud, { status: "connecting" });
    const err = await failure(provider.host.read("jumpcloud:kept", urn("r-connecting"), olds, jumpcloud([{ id: "manager" }])));
    assert.ok(err.details.startsWith("[TRUTO_ACCOUNT_NOT_ACTIVE] "), err.details);
    assert.match(err.message, /wait until Truto shows it as active/);
    assert.match(err.message, /stays in state/);
  });

  it("a sandbox account is refused before any write (instead of Truto's 405), and a delete keeps state", async () => {
    await setAccount(acct.jumpcloud, { isSandbox: true });
    const ins = await checked("sbx", jumpcloud([{ id: "manager" }]));
    const err = await failure(provider.host.create(urn("sbx"), ins));
    assert.ok(err.details.startsWith("[TRUTO_SANDBOX_ACCOUNT] "), err.details);
    assert.match(err.message, new RegExp(`integrated account ${acct.jumpcloud} is a Truto sandbox account, which accepts no writes`));
    assert.match(err.message, /production connection/);
    assert.deepEqual(await unifiedRequests(), []);

    const olds = await recorded();
    await setAccount(acct.jumpcloud, { isSandbox: true });
    const gone = await failure(provider.host.delete("jumpcloud:kept", urn("sbx"), olds));
    assert.ok(gone.details.startsWith("[TRUTO_SANDBOX_ACCOUNT] "), gone.details);
    assert.match(gone.message, /stays in state/);
    assert.deepEqual(await held(), ["manager"]);

    // Reading is allowed on a sandbox account: refresh keeps the assignment the app shows.
    const read = await provider.host.read("jumpcloud:kept", urn("sbx"), olds, jumpcloud([{ id: "manager" }]));
    assert.equal(read.id, "jumpcloud:kept");
  });

  // Last: from here on the host has JumpCloud cached as active.
  it("an account made active again is served, and a blocked one fails at once with TRUTO_ACCOUNT_BLOCKED and keeps state", async () => {
    const ins = await checked("active", jumpcloud([{ id: "manager" }]));
    const { id, outputs } = await provider.host.create(urn("active"), ins);
    assert.deepEqual(await held(), ["manager"]);
    await setAccount(acct.jumpcloud, { blocked: true });
    await sandbox.admin.clearRequests();
    const err = await failure(provider.host.delete(id, urn("active"), outputs));
    assert.ok(err.details.startsWith("[TRUTO_ACCOUNT_BLOCKED] "), err.details);
    assert.match(err.message, /stays in state/);
    assert.match(err.message, /retrying cannot help/);
    const writes = (await sandbox.admin.requests()).filter((e) => e.method === "POST");
    assert.deepEqual(
      writes.map((e) => e.status),
      [503],
      "the revoke was sent once: Truto's own 503 is not retried",
    );
    assert.deepEqual(await held(), ["manager"]);
  });
});
