/**
 * The last-holder guard through the real provider host: a revoke (delete or update) of a protected role is
 * refused while nobody else active holds it in its scope, allowed with `allowLastHolder: true`, and refused
 * too when the holders cannot be listed. The sandbox's seed has an account owner holding every admin role;
 * these tests take it away where they need a last holder.
 */
import { strict as assert } from "node:assert";
import { assignmentInputs } from "../support/assignment-inputs";
import { HostCallError } from "../support/host";
import { resourceCalls, useProviderHost, type ProviderHostFixture } from "../support/provider-host";
import { useSandbox, type SandboxFixture } from "../support/sandbox-fixture";
import { SEED_IDS } from "../../src/sandbox";
import type { SandboxState } from "../../src/sandbox";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;
const JC = SEED_IDS.jumpcloud.users;
const SLACK = SEED_IDS.slackenterprise.users;
const ELASTIC = SEED_IDS.elasticcloud.users;
const ORG_PROD = SEED_IDS.elasticcloud.organizations.production;

const { jumpcloud } = assignmentInputs;

/** The engine's calls for one resource, and views of the sandbox, over one host and sandbox. */
function guardHelpers(sandbox: SandboxFixture, provider: ProviderHostFixture) {
  const { create, update, remove } = resourceCalls(provider);

  async function editState(edit: (s: SandboxState) => void): Promise<void> {
    const state = await sandbox.admin.state();
    edit(state);
    await sandbox.admin.putState(state);
  }

  const OWNERS: Record<string, string> = {
    [acct.jumpcloud]: JC.owner,
    [acct.slackenterprise]: SLACK.owner,
    [acct.elasticcloud]: ELASTIC.owner,
  };

  /** Takes `roleId` (in `scope`, when given) away from the account owner, so the test's user is its last holder. */
  const withoutOwner = (accountId: string, roleId: string, scope?: string) =>
    editState((s) => {
      const owner = s.users.find((u) => u.accountId === accountId && u.id === OWNERS[accountId])!;
      owner.roles = owner.roles.filter(
        (r) => !(r.id === roleId && (scope === undefined || r.workspace === scope || r.organization === scope)),
      );
    });

  async function held(accountId: string, userId: string): Promise<string[]> {
    const state = await sandbox.admin.state();
    const user = state.users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) => ((r.workspace ?? r.organization) ? `${r.id}@${r.workspace ?? r.organization}` : r.id)).sort();
  }

  async function refusal(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
    } catch (e) {
      assert.ok(e instanceof HostCallError, String(e));
      return e.details;
    }
    assert.fail("the revoke was expected to be refused");
  }

  const roleWrites = async () =>
    (await sandbox.admin.requests())
      .filter((r) => r.method === "POST" && /\/(un)?assign-role$/.test(r.path))
      .map((r) => r.path.split("/").pop());

  return { create, update, remove, editState, withoutOwner, held, refusal, roleWrites };
}

describe("the last-holder guard through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);
  const { create, update, remove, editState, withoutOwner, held, refusal, roleWrites } = guardHelpers(sandbox, provider);

  describe("default protection (admin and owner roles)", () => {
    it("refuses to destroy the last Administrator, names the role, the account and the override, and changes nothing", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const carol = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
      await sandbox.admin.clearRequests();

      const details = await refusal(() => remove(carol));
      assert.match(details, /TRUTO_LAST_HOLDER/);
      assert.match(details, /refusing to revoke administrator from user "64a1f0c2e4b0a1a1a1a1a003" in JumpCloud account/);
      assert.match(details, /nobody else active holds it anywhere in the account/);
      assert.match(details, /matches "admin"/);
      assert.match(details, /`allowLastHolder: true` on RoleAssignment "carol-admin" and run `pulumi up`/);
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), ["administrator"], "still held");
      assert.deepEqual(await roleWrites(), [], "no write was sent");
    });

    it("lets the destroy through once allowLastHolder is recorded by an update that makes no call", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const carol = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
      await sandbox.admin.clearRequests();
      const allowed = await update(carol, jumpcloud(JC.carol, ["administrator"], { allowLastHolder: true }));
      assert.deepEqual(await roleWrites(), [], "the update only records the override");
      assert.equal(allowed.outputs.allowLastHolder, true);
      await remove(allowed);
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), []);
    });

    it("lets the revoke through while another active user holds the role, and not while that user is inactive", async () => {
      const carol = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
      // The owner is active and holds Administrator: carol is not the last.
      await remove(carol);
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), []);

      const again = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
      await editState((s) => {
        for (const u of s.users) if (u.accountId === acct.jumpcloud && u.id === JC.owner) u.status = "inactive";
      });
      assert.match(await refusal(() => remove(again)), /TRUTO_LAST_HOLDER[^]*nobody else active holds it/);
    });

    it("refuses an update that drops the last holder's role, before any write (the added role is not granted either)", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const carol = await create("carol", jumpcloud(JC.carol, ["administrator"]));
      await sandbox.admin.clearRequests();
      const details = await refusal(() => update(carol, jumpcloud(JC.carol, ["read-only"])));
      assert.match(details, /TRUTO_LAST_HOLDER[^]*refusing to revoke administrator/);
      assert.deepEqual(await roleWrites(), []);
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), ["administrator"]);
    });

    it("judges a Slack role by the vendor's name for its id, per workspace", async () => {
      // Rl01 is Channel Admin whatever the program calls it; the owner still holds it in T0PLATFORM only.
      await withoutOwner(acct.slackenterprise, "Rl01", "T0SALES");
      const slack = (workspaceId: string): Props => ({
        integratedAccountId: acct.slackenterprise,
        integration: "slackenterprise",
        userId: SLACK.carol,
        workspaceId,
        roles: [{ id: "Rl01", name: "Channels" }],
      });
      const platform = await create("carol-platform", slack("T0PLATFORM"));
      const sales = await create("carol-sales", slack("T0SALES"));
      await remove(platform);
      const details = await refusal(() => remove(sales));
      assert.match(
        details,
        /refusing to revoke Channels \(Rl01\) in workspace T0SALES[^]*nobody else active holds it in workspace T0SALES/,
      );
      assert.deepEqual(await held(acct.slackenterprise, SLACK.carol), ["Rl01@T0SALES"]);
    });

    it("counts Elastic Cloud holders per organization", async () => {
      await withoutOwner(acct.elasticcloud, "deployment-admin", ORG_PROD);
      const dan = await create("dan", {
        integratedAccountId: acct.elasticcloud,
        integration: "elasticcloud",
        userId: ELASTIC.dan,
        organizations: [{ id: ORG_PROD }],
        roles: [{ id: "deployment-admin" }],
      });
      assert.match(await refusal(() => remove(dan)), new RegExp(`TRUTO_LAST_HOLDER[^]*in organization ${ORG_PROD}`));
      assert.deepEqual(await held(acct.elasticcloud, ELASTIC.dan), [`deployment-admin@${ORG_PROD}`]);
    });

    it("guards an expired role's revoke like any other: the last holder keeps it until someone else holds it", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const expiresAt = new Date(Date.now() + 1_500).toISOString();
      const carol = await create("carol", jumpcloud(JC.carol, ["administrator"], { expiresAt }));
      await new Promise((r) => setTimeout(r, 1_700));
      const details = await refusal(() => update(carol, jumpcloud(JC.carol, ["administrator"], { expiresAt })));
      assert.match(details, /TRUTO_LAST_HOLDER[^]*refusing to revoke administrator/);
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), ["administrator"]);

      await editState((s) => {
        s.users.find((u) => u.accountId === acct.jumpcloud && u.id === JC.owner)!.roles.push({ id: "administrator" });
      });
      const expired = await update(carol, jumpcloud(JC.carol, ["administrator"], { expiresAt }));
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), [], "revoked once the owner holds it again");
      assert.deepEqual(
        (expired.outputs.expiredRoles as { id: string }[]).map((r) => r.id),
        ["administrator"],
      );
    });

    it("never refuses what the user no longer holds: the role removed out of band, or the user gone", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const carol = await create("carol", jumpcloud(JC.carol, ["administrator"]));
      await editState((s) => {
        s.users = s.users.filter((u) => !(u.accountId === acct.jumpcloud && u.id === JC.carol));
      });
      await remove(carol);
    });
  });

  describe("a listing that fails", () => {
    it("is a refusal, never a silent revoke", async () => {
      await withoutOwner(acct.jumpcloud, "administrator");
      const carol = await create("carol", jumpcloud(JC.carol, ["administrator"]));
      await sandbox.admin.faults({ method: "GET", path: "/unified/user-directory/users", count: 1_000, status: 403 });
      const details = await refusal(() => remove(carol));
      assert.match(details, /TRUTO_HOLDERS_UNKNOWN[^]*who holds it anywhere in the account could not be listed, so nothing was changed/);
      assert.match(details, /403/);
      await sandbox.admin.clearFaults();
      assert.deepEqual(await held(acct.jumpcloud, JC.carol), ["administrator"]);
    });
  });
});

describe("the last-holder guard with TRUTO_PROTECTED_ROLES", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox, 400, { TRUTO_PROTECTED_ROLES: "manager" });
  const { create, remove, held } = guardHelpers(sandbox, provider);

  it("protects a role the defaults do not, and two last holders revoked at once leave one", async () => {
    const carol = await create("carol", jumpcloud(JC.carol, ["manager"]));
    const dan = await create("dan", jumpcloud(JC.dan, ["manager"]));
    const results = await Promise.allSettled([remove(carol), remove(dan)]);
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.equal(refused.length, 1, "the second revoke sees the first one done");
    assert.match((refused[0].reason as HostCallError).details, /TRUTO_LAST_HOLDER[^]*matches "manager"/);
    const holders = [(await held(acct.jumpcloud, JC.carol)).includes("manager"), (await held(acct.jumpcloud, JC.dan)).includes("manager")];
    assert.equal(holders.filter(Boolean).length, 1, "exactly one manager is left");
  });

  it("counts a user whose revoke it let through as a holder again once a grant to them is read back", async () => {
    const alice = await create("alice", jumpcloud(JC.alice, ["manager"]));
    const bob = await create("bob", jumpcloud(JC.bob, ["manager"]));
    await remove(alice); // bob holds it: let through, and alice is not counted again in this process...
    await create("alice-again", jumpcloud(JC.alice, ["manager"])); // ...until she is read back holding it.
    await remove(bob);
    assert.ok(!(await held(acct.jumpcloud, JC.bob)).includes("manager"));
    assert.ok((await held(acct.jumpcloud, JC.alice)).includes("manager"));
  });

  it("leaves unprotected roles alone", async () => {
    const carol = await create("carol", jumpcloud(JC.carol, ["help-desk"]));
    await remove(carol);
    assert.deepEqual(await held(acct.jumpcloud, JC.carol), []);
  });
});

describe("the last-holder guard sharing what it sees (the read cache on, as by default)", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox, 400, { TRUTO_READ_CACHE_MS: "2000", TRUTO_PROTECTED_ROLES: "manager" });
  const { create, remove, withoutOwner, editState, held, refusal } = guardHelpers(sandbox, provider);
  const people = [JC.alice, JC.bob, JC.carol, JC.dan, JC.erin];
  const listings = async () =>
    (await sandbox.admin.requests()).filter((r) => r.method === "GET" && r.path === "/unified/user-directory/users").length;

  it("five last holders revoked at once leave exactly one, however the checks share their listings", async () => {
    await withoutOwner(acct.jumpcloud, "manager");
    const created = await Promise.all(people.map((u, k) => create(`m${k}`, jumpcloud(u, ["manager"]))));
    const results = await Promise.allSettled(created.map((c) => remove(c)));
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.equal(refused.length, 1, "one revoke is refused");
    assert.match((refused[0].reason as HostCallError).details, /TRUTO_LAST_HOLDER[^]*matches "manager"/);
    const holding = await Promise.all(people.map(async (u) => (await held(acct.jumpcloud, u)).includes("manager")));
    assert.equal(holding.filter(Boolean).length, 1, "exactly one manager is left");
  });

  it("revokes made together while the owner holds the role look at the holders once, not once each", async () => {
    const created = await Promise.all(people.slice(0, 4).map((u, k) => create(`a${k}`, jumpcloud(u, ["administrator"]))));
    await sandbox.admin.clearRequests();
    await Promise.all(created.map((c) => remove(c)));
    for (const u of people.slice(0, 4)) assert.ok(!(await held(acct.jumpcloud, u)).includes("administrator"));
    // Four guarded revokes: one shared look at the holders, and at most two listings for the read-backs.
    assert.ok((await listings()) <= 3, `${await listings()} user listings for four guarded revokes`);
  });

  it("looks again once what it saw is over a second old: an owner made inactive since then no longer counts", async () => {
    const carol = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
    await remove(carol);
    const again = await create("carol-admin", jumpcloud(JC.carol, ["administrator"]));
    await editState((s) => {
      for (const u of s.users) if (u.accountId === acct.jumpcloud && u.id === JC.owner) u.status = "inactive";
    });
    await new Promise((r) => setTimeout(r, 1_100));
    assert.match(await refusal(() => remove(again)), /TRUTO_LAST_HOLDER[^]*nobody else active holds it/);
  });
});
