/**
 * Time-bound access through the real Pulumi provider host, over gRPC, against the sandbox: a role whose
 * `expiresAt` passes is planned as an update by diff, revoked by update (confirmed by read-back), recorded in
 * `expiredRoles`, never granted again by refresh or update, and a resource whose roles all expired holds
 * nothing, survives refresh, and is destroyed without a write. Deadlines are a few seconds ahead; the tests
 * wait for them, they never assert on how long anything took.
 */
import { strict as assert } from "node:assert";
import { urn, type Host } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { SEED_IDS } from "../../src/sandbox";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;

interface Case {
  title: string;
  inputs: Props;
  /** The grant key as the sandbox stores it, for a role id. */
  held: (roleId: string) => string;
}

const CASES: Case[] = [
  {
    title: "JumpCloud",
    inputs: {
      integratedAccountId: acct.jumpcloud,
      integration: "jumpcloud",
      userId: "64a1f0c2e4b0a1a1a1a1a003",
      roles: [{ id: "manager" }, { id: "help-desk" }],
    },
    held: (id) => JSON.stringify({ id }),
  },
  {
    // Elastic revokes whole organizations: the revoke of the expired role must give back the role that stays.
    title: "Elastic Cloud",
    inputs: {
      integratedAccountId: acct.elasticcloud,
      integration: "elasticcloud",
      userId: "1183940204",
      organizations: [{ id: "4201839311" }],
      roles: [{ id: "deployment-editor" }, { id: "billing-admin" }],
    },
    held: (id) => JSON.stringify({ id, organization: "4201839311" }),
  },
];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `deadline` (ms) has passed on this machine's clock, which the host shares. */
const until = async (deadline: number) => {
  while (Date.now() <= deadline) await sleep(Math.max(10, deadline - Date.now() + 10));
};
const ids = (roles: unknown) => (roles as Props[]).map((r) => r.id).sort();

describe("expiry through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);
  const { checked } = provider;
  let host: Host;
  before(() => {
    host = provider.host;
  });

  async function heldBy(accountId: string, userId: string): Promise<string[]> {
    const state = await sandbox.admin.state();
    const user = state.users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) =>
      JSON.stringify({
        id: r.id,
        ...(r.workspace ? { workspace: r.workspace } : {}),
        ...(r.organization ? { organization: r.organization } : {}),
      }),
    );
  }

  for (const c of CASES) {
    describe(c.title, () => {
      const account = c.inputs.integratedAccountId as string;
      const user = c.inputs.userId as string;
      const [expiring, staying] = (c.inputs.roles as { id: string }[]).map((r) => r.id);

      it("revokes a role once its expiresAt passes, through diff and update, and then shows no change", async () => {
        const deadline = Date.now() + 2_500;
        const program = { ...c.inputs, roles: [{ id: expiring, expiresAt: iso(deadline) }, { id: staying }] };
        const inputs = await checked("a", program);
        const { id, outputs } = await host.create(urn("a"), inputs);
        assert.deepEqual(ids(outputs.activeRoles), [expiring, staying].sort());
        assert.deepEqual(outputs.expiredRoles, []);
        assert.ok((await heldBy(account, user)).includes(c.held(expiring)), "granted while active");
        assert.equal(
          (await host.diff(id, urn("a"), outputs, await checked("a", program, inputs))).changes,
          "none",
          "no change before the deadline",
        );

        await until(deadline);
        const news = await checked("a", program, inputs);
        const planned = await host.diff(id, urn("a"), outputs, news);
        assert.deepEqual([planned.changes, planned.replaces], ["some", []], "the deadline alone plans an update");
        await sandbox.admin.clearRequests();
        const { outputs: after } = await host.update(id, urn("a"), outputs, news);
        const held = await heldBy(account, user);
        assert.ok(!held.includes(c.held(expiring)), `the expired role is revoked: ${held}`);
        assert.ok(held.includes(c.held(staying)), `the other role stays held: ${held}`);
        const log = await sandbox.admin.requests();
        assert.ok(
          log.some((e) => e.path === "/unified/user-directory/users/unassign-role" && e.status === 200),
          "revoked through unassign-role",
        );
        assert.ok(
          log.some((e) => e.method === "GET"),
          "confirmed by reading back",
        );
        assert.deepEqual(ids(after.roles), [expiring, staying].sort(), "the role stays declared");
        assert.deepEqual(ids(after.activeRoles), [staying]);
        assert.deepEqual(ids(after.heldRoles), [staying]);
        assert.deepEqual(after.expiredRoles, [{ id: expiring, expiresAt: iso(deadline), expiredAt: iso(deadline) }]);

        assert.equal(
          (await host.diff(id, urn("a"), after, await checked("a", program, news))).changes,
          "none",
          "the next preview shows no changes",
        );
        // Refresh keeps the expired role declared and does not turn it into a re-grant.
        const refreshed = await host.read(id, urn("a"), after, news);
        assert.equal(refreshed.id, id);
        assert.deepEqual(ids(refreshed.inputs.roles), [expiring, staying].sort());
        assert.equal((await host.diff(id, urn("a"), refreshed.outputs, await checked("a", program, refreshed.inputs))).changes, "none");
        // An update for another reason (a label) never grants it again.
        await sandbox.admin.clearRequests();
        const relabelled = {
          ...program,
          roles: [
            { id: expiring, expiresAt: iso(deadline) },
            { id: staying, name: "Staying" },
          ],
        };
        await host.update(id, urn("a"), refreshed.outputs, await checked("a", relabelled, refreshed.inputs));
        assert.ok(!(await heldBy(account, user)).includes(c.held(expiring)), "not granted again");
        assert.ok(!(await sandbox.admin.requests()).some((e) => e.path === "/unified/user-directory/users/assign-role"), "no grant sent");
      });

      it("renewing an active role is an update without an API call", async () => {
        const program = { ...c.inputs, roles: [{ id: expiring, expiresAt: iso(Date.now() + 3_600_000) }, { id: staying }] };
        const inputs = await checked("a", program);
        const { id, outputs } = await host.create(urn("a"), inputs);
        const renewed = await checked(
          "a",
          { ...program, roles: [{ id: expiring, expiresAt: iso(Date.now() + 7_200_000) }, { id: staying }] },
          inputs,
        );
        assert.equal((await host.diff(id, urn("a"), outputs, renewed)).changes, "some");
        await sandbox.admin.clearRequests();
        await host.update(id, urn("a"), outputs, renewed);
        assert.deepEqual(
          (await sandbox.admin.requests()).filter((e) => e.method === "POST"),
          [],
          "no write",
        );
      });

      it("a resource whose roles all expired holds nothing, survives refresh, and is destroyed without a write", async () => {
        const deadline = Date.now() + 2_500;
        const program = { ...c.inputs, expiresAt: iso(deadline) };
        const inputs = await checked("a", program);
        const { id, outputs } = await host.create(urn("a"), inputs);
        await until(deadline);
        const news = await checked("a", program, inputs);
        const { outputs: after } = await host.update(id, urn("a"), outputs, news);
        assert.deepEqual(after.activeRoles, []);
        assert.deepEqual(after.heldRoles, []);
        assert.deepEqual(ids(after.expiredRoles), [expiring, staying].sort());
        const held = await heldBy(account, user);
        assert.ok(!held.includes(c.held(expiring)) && !held.includes(c.held(staying)), `every role revoked: ${held}`);
        const refreshed = await host.read(id, urn("a"), after, news);
        assert.equal(refreshed.id, id, "refresh keeps a resource whose roles all expired");
        await sandbox.admin.clearRequests();
        await host.delete(id, urn("a"), refreshed.outputs);
        assert.deepEqual(
          (await sandbox.admin.requests()).filter((e) => e.method === "POST"),
          [],
          "destroy revokes nothing it does not hold",
        );
      });

      it("refuses, at check, a new resource whose role has already expired", async () => {
        const res = await host.check(
          urn("a"),
          {},
          provider.withProvider({ ...c.inputs, roles: [{ id: expiring, expiresAt: iso(Date.now() - 60_000) }] }),
        );
        assert.deepEqual(
          res.failures.map((f) => f.property),
          ["roles[0].expiresAt"],
        );
      });
    });
  }
});
