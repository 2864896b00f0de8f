/**
 * RoleAssignment through the real Pulumi provider host, driven over gRPC in the engine's call order,
 * against the sandbox. Assertions are on the sandbox's state and request log, not only on answers.
 */
import { strict as assert } from "node:assert";
import { startHost, urn, HostCallError, type Host } from "../support/host";
import { UNKNOWN } from "../support/pulumi-values";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { SEED_IDS } from "../../src/sandbox";

type Props = Record<string, unknown>;

interface Case {
  title: string;
  inputs: Props;
  /** A role the user does not hold yet. */
  extraRole: { id: string };
  /** The grant key as the sandbox stores it, for a role id. */
  held: (roleId: string) => { id: string; workspace?: string; organization?: string };
  otherUserId: string;
}

const acct = SEED_IDS.accounts;

const CASES: Case[] = [
  {
    title: "Slack Enterprise",
    inputs: {
      integratedAccountId: acct.slackenterprise,
      integration: "slackenterprise",
      userId: "U02BOB",
      workspaceId: "T0PLATFORM",
      roles: [{ id: "Rl03", name: "User Admin" }, { id: "Rl0A" }],
    },
    extraRole: { id: "Rl0J" },
    held: (id) => ({ id, workspace: "T0PLATFORM" }),
    otherUserId: "U03CAROL",
  },
  {
    title: "JumpCloud",
    inputs: {
      integratedAccountId: acct.jumpcloud,
      integration: "jumpcloud",
      userId: "64a1f0c2e4b0a1a1a1a1a003",
      roles: [{ id: "manager" }, { id: "help-desk" }],
    },
    extraRole: { id: "read-only" },
    held: (id) => ({ id }),
    otherUserId: "64a1f0c2e4b0a1a1a1a1a004",
  },
  {
    title: "Elastic Cloud",
    inputs: {
      integratedAccountId: acct.elasticcloud,
      integration: "elasticcloud",
      userId: "1183940204",
      organizations: [{ id: "4201839311", name: "Acme Production" }],
      roles: [{ id: "deployment-editor" }, { id: "billing-admin" }],
    },
    extraRole: { id: "deployment-viewer" },
    held: (id) => ({ id, organization: "4201839311" }),
    otherUserId: "1183940205",
  },
];

describe("RoleAssignment lifecycle through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);
  const { withProvider, checked } = provider;
  let host: Host;
  before(() => {
    host = provider.host;
  });

  async function heldBy(accountId: string, userId: string) {
    const state = await sandbox.admin.state();
    const user = state.users.find((u) => u.accountId === accountId && u.id === userId);
    return user
      ? user.roles.map((r) =>
          JSON.stringify({
            id: r.id,
            ...(r.workspace ? { workspace: r.workspace } : {}),
            ...(r.organization ? { organization: r.organization } : {}),
          }),
        )
      : undefined;
  }

  async function created(name: string, inputs: Props) {
    const ins = await checked(name, inputs);
    const { id, outputs } = await host.create(urn(name), ins);
    return { id, outputs, inputs: ins };
  }

  for (const c of CASES) {
    describe(c.title, () => {
      const account = c.inputs.integratedAccountId as string;
      const user = c.inputs.userId as string;
      const roleIds = (c.inputs.roles as { id: string }[]).map((r) => r.id);
      const heldKey = (id: string) => JSON.stringify(c.held(id));

      it("passes unknown values through check during preview", async () => {
        const res = await host.check(urn("preview"), {}, withProvider({ ...c.inputs, userId: UNKNOWN, roles: UNKNOWN }));
        assert.deepEqual(res.failures, []);
        assert.equal(res.inputs.userId, UNKNOWN);
        assert.equal(res.inputs.roles, UNKNOWN);
        const partly = await host.check(urn("preview"), {}, withProvider({ ...c.inputs, roles: [{ id: UNKNOWN }, { id: "x" }] }));
        assert.deepEqual(partly.failures, []);
        assert.deepEqual((partly.inputs.roles as Props[]).map((r) => r.id).sort(), [UNKNOWN, "x"].sort());
      });

      it("creates: grants every role, confirms by reading back, and outputs what is held", async () => {
        await sandbox.admin.clearRequests();
        const { id, outputs } = await created("a", c.inputs);
        assert.ok(id.length > 0);
        assert.equal(outputs.assignmentId, id);
        assert.deepEqual((outputs.heldRoles as Props[]).map((r) => r.id).sort(), [...roleIds].sort());
        assert.equal((outputs.user as Props).id, user);
        assert.ok(typeof outputs.__provider === "string", "outputs keep __provider");
        const held = await heldBy(account, user);
        for (const r of roleIds) assert.ok(held?.includes(heldKey(r)), `${r} held after create: ${held}`);
        const log = await sandbox.admin.requests();
        const assigns = log.filter((e) => e.path === "/unified/user-directory/users/assign-role");
        const perRequest = c.inputs.integration === "slackenterprise" ? 1 : roleIds.length;
        assert.equal(assigns.length, roleIds.length / perRequest, "one request per role only where the integration needs it");
        assert.ok(assigns.every((e) => e.status === 200));
      });

      it("diffs: no-op, reorder, name-only, added, removed, user changed, overlapping replace", async () => {
        const { id, outputs } = await created("a", c.inputs);
        const diff = async (news: Props) => host.diff(id, urn("a"), outputs, await checked("a", news, c.inputs));
        const roles = c.inputs.roles as Props[];

        assert.equal((await diff(c.inputs)).changes, "none");
        assert.equal((await diff({ ...c.inputs, roles: [...roles].reverse() })).changes, "none");
        assert.equal((await diff({ ...c.inputs, roles: roles.map((r) => ({ ...r, name: "Renamed" })) })).changes, "none");

        const added = await diff({ ...c.inputs, roles: [...roles, c.extraRole] });
        assert.deepEqual([added.changes, added.replaces], ["some", []]);
        const removed = await diff({ ...c.inputs, roles: roles.slice(1) });
        assert.deepEqual([removed.changes, removed.replaces], ["some", []]);

        const otherUser = await diff({ ...c.inputs, userId: c.otherUserId });
        assert.deepEqual([otherUser.changes, otherUser.replaces, otherUser.deleteBeforeReplace], ["some", ["userId"], false]);

        const upperCased = await diff({ ...c.inputs, integratedAccountId: account.toUpperCase() });
        assert.equal(upperCased.changes, "none", "the account id is normalised, so its case is no change");
        const unknownUser = await diff({ ...c.inputs, userId: UNKNOWN });
        assert.deepEqual([unknownUser.changes, unknownUser.replaces, unknownUser.deleteBeforeReplace], ["some", ["userId"], true]);
        const scopeKey =
          c.inputs.integration === "slackenterprise"
            ? "workspaceId"
            : c.inputs.integration === "elasticcloud"
              ? "organizations"
              : undefined;
        if (scopeKey === "organizations") {
          const overlapping = await diff({ ...c.inputs, organizations: [{ id: "4201839311" }, { id: "4201839312" }] });
          assert.deepEqual([overlapping.replaces, overlapping.deleteBeforeReplace], [["organizations"], true]);
        }
        if (scopeKey === "workspaceId") {
          const elsewhere = await diff({ ...c.inputs, workspaceId: "T0SALES" });
          assert.deepEqual([elsewhere.replaces, elsewhere.deleteBeforeReplace], [["workspaceId"], false]);
        }
      });

      it("updates in place: grants the added role, then revokes the removed one", async () => {
        const { id, outputs } = await created("a", c.inputs);
        const roles = c.inputs.roles as Props[];
        const news = await checked("a", { ...c.inputs, roles: [...roles.slice(1), c.extraRole] }, c.inputs);
        await sandbox.admin.clearRequests();
        const { outputs: after } = await host.update(id, urn("a"), outputs, news);
        const held = await heldBy(account, user);
        assert.ok(held?.includes(heldKey(c.extraRole.id)), "added role held");
        assert.ok(!held?.includes(heldKey(roleIds[0])), "removed role revoked");
        for (const r of roleIds.slice(1)) assert.ok(held?.includes(heldKey(r)), `kept role ${r} still held`);
        assert.deepEqual((after.heldRoles as Props[]).map((r) => r.id).sort(), [...roleIds.slice(1), c.extraRole.id].sort());
        const writes = (await sandbox.admin.requests()).filter((e) => e.method === "POST").map((e) => e.path.split("/").pop());
        const grantsFirst = writes.indexOf("assign-role") < writes.indexOf("unassign-role");
        const scopeWide = c.inputs.integration === "elasticcloud";
        assert.ok(scopeWide ? writes[0] === "unassign-role" : grantsFirst, `write order: ${writes}`);
      });

      it("refresh: shows a role removed out of band, and drops the assignment when the user is deleted", async () => {
        const { id, outputs, inputs } = await created("a", c.inputs);
        const state = await sandbox.admin.state();
        const u = state.users.find((x) => x.accountId === account && x.id === user)!;
        u.roles = u.roles.filter((r) => r.id !== roleIds[0]);
        await sandbox.admin.putState(state);
        const drift = await host.read(id, urn("a"), outputs, inputs);
        assert.equal(drift.id, id);
        assert.deepEqual(
          (drift.outputs.heldRoles as Props[]).map((r) => r.id),
          roleIds.slice(1).sort(),
        );
        assert.deepEqual(
          (drift.inputs.roles as Props[]).map((r) => r.id),
          roleIds.slice(1).sort(),
          "inputs show what is really held",
        );
        const preview = await host.diff(id, urn("a"), drift.outputs, await checked("a", c.inputs, drift.inputs));
        assert.equal(preview.changes, "some", "the next preview shows the re-grant");

        state.users = state.users.filter((x) => !(x.accountId === account && x.id === user));
        await sandbox.admin.putState(state);
        const gone = await host.read(id, urn("a"), outputs, inputs);
        assert.equal(gone.id, "", "a deleted user drops the assignment from state");
      });

      it("delete: revokes, verifies, and succeeds when already revoked", async () => {
        const { id, outputs } = await created("a", c.inputs);
        await sandbox.admin.clearRequests();
        await host.delete(id, urn("a"), outputs);
        const held = await heldBy(account, user);
        for (const r of roleIds) assert.ok(!held?.includes(heldKey(r)), `${r} revoked`);
        const log = await sandbox.admin.requests();
        assert.ok(log.some((e) => e.path === "/unified/user-directory/users/unassign-role" && e.status === 200));
        assert.ok(
          log.some((e) => e.method === "GET"),
          "the revoke was verified by reading back",
        );
        await host.delete(id, urn("a"), outputs);
      });

      it("delete: retries a 429 and then succeeds", async () => {
        const { id, outputs } = await created("a", c.inputs);
        await sandbox.admin.faults({
          method: "POST",
          path: "/unified/user-directory/users/unassign-role",
          count: 1,
          status: 429,
          retryAfter: 1,
        });
        await host.delete(id, urn("a"), outputs);
        const held = await heldBy(account, user);
        for (const r of roleIds) assert.ok(!held?.includes(heldKey(r)));
        const statuses = (await sandbox.admin.requests())
          .filter((e) => e.path === "/unified/user-directory/users/unassign-role")
          .map((e) => e.status);
        assert.equal(statuses[0], 429);
        assert.ok(statuses.slice(1).includes(200));
      });

      it("delete: a 403 fails, names the account, and leaves the role assigned", async () => {
        const { id, outputs } = await created("a", c.inputs);
        await sandbox.admin.faults({ method: "POST", path: "/unified/user-directory/users/unassign-role", count: 100, status: 403 });
        const err = await host.delete(id, urn("a"), outputs).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof HostCallError, "delete must fail");
        assert.match(err.message, new RegExp(account));
        assert.match(err.message, /403/);
        assert.match(err.message, /permission|scopes/);
        assert.ok(!err.message.includes(sandbox.token), "no token in the message");
        const held = await heldBy(account, user);
        for (const r of roleIds) assert.ok(held?.includes(heldKey(r)), "still held, so the resource must stay in state");
        await sandbox.admin.clearFaults();
      });

      it("delete: fails when the sandbox reports success but the role stays held", async () => {
        const { id, outputs } = await created("a", c.inputs);
        await sandbox.admin.faults({ method: "POST", path: "/unified/user-directory/users/unassign-role", count: 100, noop: true });
        const err = await host.delete(id, urn("a"), outputs).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        assert.ok(err, "a revoke that did not happen must not report success");
        assert.match(err.message, /still holds/);
        const held = await heldBy(account, user);
        for (const r of roleIds) assert.ok(held?.includes(heldKey(r)));
        await sandbox.admin.clearFaults();
      });
    });
  }

  describe("create", () => {
    it("adopts a role the user already holds", async () => {
      // Alice already holds Rl0A in T0PLATFORM in the seed.
      const inputs = {
        integratedAccountId: acct.slackenterprise,
        integration: "slackenterprise",
        userId: "U01ALICE",
        workspaceId: "T0PLATFORM",
        roles: [{ id: "Rl0A" }],
      };
      assert.ok((await heldBy(acct.slackenterprise, "U01ALICE"))?.includes(JSON.stringify({ id: "Rl0A", workspace: "T0PLATFORM" })));
      const { outputs } = await created("adopt", inputs);
      assert.deepEqual(
        (outputs.heldRoles as Props[]).map((r) => r.id),
        ["Rl0A"],
      );
    });

    it("fails clearly when the account belongs to another integration", async () => {
      const inputs = {
        integratedAccountId: acct.jumpcloud,
        integration: "slackenterprise",
        userId: "U02BOB",
        workspaceId: "T0PLATFORM",
        roles: [{ id: "Rl0A" }],
      };
      const err = await created("wrong", inputs).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(err);
      assert.match(err.message, /is a "jumpcloud" account/);
      assert.equal(await sandbox.admin.requests().then((l) => l.filter((e) => e.method === "POST").length), 0, "nothing was written");
    });

    it("records a partial failure with id and properties when one of two roles fails", async () => {
      const inputs = { ...CASES[0].inputs, roles: [{ id: "Rl03" }, { id: "Rl0A" }] };
      // Slack takes one role per request; the second request fails for good.
      await sandbox.admin.faults({ method: "POST", path: "/unified/user-directory/users/assign-role", count: 1, status: 403 });
      const ins = await checked("partial", inputs);
      const err = await host.create(urn("partial"), ins).then(
        () => undefined,
        (e: unknown) => e as HostCallError,
      );
      assert.ok(err?.initFailure, `expected a partial failure, got ${err?.message}`);
      assert.ok(err.initFailure.id);
      assert.equal(typeof err.initFailure.properties.__provider, "string", "state keeps the provider so destroy works");
      assert.equal((err.initFailure.properties.heldRoles as Props[]).length, 1);
      assert.equal(err.initFailure.reasons.length, 1);
      // The next `up` runs Update (initErrors) and converges.
      const { outputs } = await host.update(err.initFailure.id, urn("partial"), err.initFailure.properties, ins);
      assert.deepEqual((outputs.heldRoles as Props[]).map((r) => r.id).sort(), ["Rl03", "Rl0A"]);
    });

    it("fails the first call with how to set the token when none is configured", async () => {
      const bare = await startHost({ cwd: provider.consumerDir, env: { TRUTO_API_TOKEN: undefined, TRUTO_BASE_URL: sandbox.url } });
      try {
        await bare.configure({});
        const ins = (await bare.check(urn("x"), {}, withProvider(CASES[1].inputs))).inputs;
        const err = await bare.create(urn("x"), ins).then(
          () => undefined,
          (e: Error) => e,
        );
        assert.match(err?.message ?? "", /TRUTO_API_TOKEN/);
        assert.match(err?.message ?? "", /--secret truto:apiToken/);
      } finally {
        await bare.kill();
      }
    });

    it("takes the token from secret stack config, race-free under parallel creates", async () => {
      const viaConfig = await startHost({
        cwd: provider.consumerDir,
        env: { TRUTO_API_TOKEN: undefined, TRUTO_BASE_URL: undefined, TRUTO_SETTLE_MS: "300" },
      });
      try {
        await viaConfig.configure({ "truto:apiToken": { secret: sandbox.token }, "truto:baseUrl": sandbox.url });
        const people = ["64a1f0c2e4b0a1a1a1a1a001", "64a1f0c2e4b0a1a1a1a1a002", "64a1f0c2e4b0a1a1a1a1a005"];
        const results = await Promise.all(
          people.map(async (userId, n) => {
            const ins = (
              await viaConfig.check(urn(`p${n}`), {}, withProvider({ ...CASES[1].inputs, userId, roles: [{ id: "command-runner" }] }))
            ).inputs;
            return viaConfig.create(urn(`p${n}`), ins);
          }),
        );
        assert.equal(results.length, 3);
        for (const userId of people) assert.ok((await heldBy(acct.jumpcloud, userId))?.includes(JSON.stringify({ id: "command-runner" })));
        assert.ok(!viaConfig.output().includes(sandbox.token), "the host never prints the token");
      } finally {
        await viaConfig.kill();
      }
    });
  });

  describe("check", () => {
    it("names the property and says what to do", async () => {
      const { workspaceId: _ws, ...noWorkspace } = CASES[0].inputs;
      const res = await host.check(urn("bad"), {}, withProvider({ ...noWorkspace, roles: [{ id: "Rl0A" }, { id: " " }], rolez: 1 }));
      const props = res.failures.map((f) => f.property).sort();
      // Every failure in one answer: the structural ones and the missing workspace together.
      assert.deepEqual(props, ["roles[1].id", "rolez", "workspaceId"]);
      assert.match(res.failures.find((f) => f.property === "rolez")!.reason, /did you mean "roles"/);
      const slack = await host.check(urn("bad"), {}, withProvider(noWorkspace));
      assert.deepEqual(
        slack.failures.map((f) => f.property),
        ["workspaceId"],
      );
      const unknownSlug = await host.check(urn("bad"), {}, withProvider({ ...CASES[1].inputs, integration: "okta" }));
      assert.match(unknownSlug.failures[0].reason, /elasticcloud, slackenterprise, jumpcloud, blackline, crowdstrike, teamviewer/);
    });
  });
});
