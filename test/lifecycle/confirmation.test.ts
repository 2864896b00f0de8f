/**
 * What the provider may believe after a write, through the real provider host against the sandbox: a role
 * scope the read-back cannot show is refused (and never makes a revoke pass vacuously), a "user not found"
 * right after a write is re-read before it is believed, a role still held in some of its organizations is
 * drift rather than gone, and a partial failure over many roles always fits in its record.
 */
import { strict as assert } from "node:assert";
import { MAX_ROLE_ID_LENGTH, MAX_ROLES_PER_RESOURCE } from "../../src/provider/inputs";
import { SEED_IDS, type SandboxState } from "../../src/sandbox";
import { urn } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { hostFailure as failure } from "../support/truto-assertions";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;
const USERS = "/unified/user-directory/users";

const carol = SEED_IDS.jumpcloud.users.carol;
const jumpcloud = (roles: Props[]): Props => ({ integratedAccountId: acct.jumpcloud, integration: "jumpcloud", userId: carol, roles });

const elasticUser = SEED_IDS.elasticcloud.users.dan;
const { production, staging } = SEED_IDS.elasticcloud.organizations;
const elastic = (roles: Props[]): Props => ({
  integratedAccountId: acct.elasticcloud,
  integration: "elasticcloud",
  userId: elasticUser,
  organizations: [{ id: production }, { id: staging }],
  roles,
});

/** The vendor's own "user not found" as Truto forwards it (truto_is_remote_error), once or `count` times. */
function userNotFound(userId: string, count: number) {
  const message = `JumpCloud has no user "${userId}".`;
  return {
    method: "GET",
    path: `${USERS}/${userId}`,
    count,
    status: 404,
    body: { statusCode: 404, error: "Not Found", message, truto_is_remote_error: true },
  };
}

describe("RoleAssignment confirmation through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);
  const { withProvider, checked } = provider;

  async function held(accountId: string, userId: string): Promise<string[]> {
    const user = (await sandbox.admin.state()).users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) => [r.id, r.workspace, r.organization].filter(Boolean).join("@")).sort();
  }

  async function editState(change: (state: SandboxState) => void): Promise<void> {
    const state = await sandbox.admin.state();
    change(state);
    await sandbox.admin.putState(state);
  }

  function grant(accountId: string, userId: string, role: { id: string; organization?: string }) {
    return editState((state) => state.users.find((u) => u.accountId === accountId && u.id === userId)!.roles.push(role));
  }

  describe("a role scope field the read-back cannot confirm (group)", () => {
    // What an older version recorded for `{ id: "manager", group: "g" }`: the grant landed, but the
    // read-back never showed a group, so heldRoles stayed empty.
    const recordedWithGroup = (): Props => ({
      ...withProvider(jumpcloud([{ id: "manager", group: "g" }])),
      assignmentId: "jumpcloud:old-state",
      heldRoles: [],
      user: { id: carol },
    });

    it("is refused by check, naming the property and why", async () => {
      const res = await provider.host.check(
        urn("grouped"),
        {},
        withProvider(jumpcloud([{ id: "help-desk" }, { id: "manager", group: "g" }])),
      );
      assert.deepEqual(res.failures, [
        {
          property: "roles[1].group",
          reason:
            "JumpCloud's read-back does not report groups, so a grant in a group could never be confirmed or revoked safely; remove group.",
        },
      ]);
    });

    it("destroy of an assignment recorded with a group fails while the role is still held, instead of passing vacuously", async () => {
      await grant(acct.jumpcloud, carol, { id: "manager" });
      await sandbox.admin.faults({ method: "POST", path: `${USERS}/unassign-role`, count: 100, noop: true });
      const err = await failure(provider.host.delete("jumpcloud:old-state", urn("grouped"), recordedWithGroup()));
      assert.match(err.message, /still holds manager/);
      assert.match(err.message, /stays in state/);
      assert.deepEqual(await held(acct.jumpcloud, carol), ["manager"]);
    });

    it("destroy of an assignment recorded with a group revokes the role the app shows, and confirms it", async () => {
      await grant(acct.jumpcloud, carol, { id: "manager" });
      await provider.host.delete("jumpcloud:old-state", urn("grouped"), recordedWithGroup());
      assert.deepEqual(await held(acct.jumpcloud, carol), []);
      const unassigns = (await sandbox.admin.requests()).filter((e) => e.path === "/unified/user-directory/users/unassign-role");
      assert.deepEqual(
        unassigns.map((e) => e.status),
        [200],
        "sent without the group the sandbox (like the app) cannot honour",
      );
    });

    it("refresh of an assignment recorded with a group keeps it while the role is held", async () => {
      await grant(acct.jumpcloud, carol, { id: "manager" });
      const outputs = recordedWithGroup();
      const read = await provider.host.read("jumpcloud:old-state", urn("grouped"), outputs, jumpcloud([{ id: "manager", group: "g" }]));
      assert.equal(read.id, "jumpcloud:old-state", "the role is held, so the assignment is not gone");
      assert.deepEqual(
        (read.outputs.heldRoles as Props[]).map((r) => r.id),
        ["manager"],
      );
    });
  });

  describe('"user not found" on the read-back after a write', () => {
    it("create: one not-found is re-read, and the grant is confirmed and recorded", async () => {
      const ins = await checked("blink", jumpcloud([{ id: "manager" }, { id: "help-desk" }]));
      await sandbox.admin.faults(userNotFound(carol, 1));
      const { id, outputs } = await provider.host.create(urn("blink"), ins);
      assert.ok(id);
      assert.deepEqual(
        (outputs.heldRoles as Props[]).map((r) => r.id),
        ["help-desk", "manager"],
      );
      assert.deepEqual(await held(acct.jumpcloud, carol), ["help-desk", "manager"]);
      const reads = (await sandbox.admin.requests()).filter((e) => e.method === "GET" && e.path === `${USERS}/${carol}`);
      assert.equal(reads[0].status, 404, "the first read-back was the not-found");
    });

    it("create: a user invisible through the whole settle window after a successful grant is a partial failure that records the grant", async () => {
      const ins = await checked("invisible", jumpcloud([{ id: "manager" }]));
      await sandbox.admin.faults(userNotFound(carol, 1_000));
      const err = await failure(provider.host.create(urn("invisible"), ins));
      assert.ok(err.initFailure, `expected a partial failure that Pulumi records, got: ${err.message}`);
      assert.match(err.message, /not taken as gone/);
      assert.deepEqual(
        (err.initFailure.properties.roles as Props[]).map((r) => r.id),
        ["manager"],
        "state claims the role, so destroy revokes it",
      );
      assert.deepEqual(err.initFailure.properties.heldRoles, [], "and holds none, so the next up grants (idempotently) and confirms");
      assert.equal(typeof err.initFailure.properties.__provider, "string");
      assert.deepEqual(await held(acct.jumpcloud, carol), ["manager"], "the grant exists, and state knows of it");
      await sandbox.admin.clearFaults();
      const { outputs } = await provider.host.update(err.initFailure.id, urn("invisible"), err.initFailure.properties, ins);
      assert.deepEqual(
        (outputs.heldRoles as Props[]).map((r) => r.id),
        ["manager"],
      );
    });

    it("create: a user the write itself did not find is not recorded (nothing was granted)", async () => {
      const ins = await checked("nobody", { ...jumpcloud([{ id: "manager" }]), userId: "64a1f0c2e4b0a1a1a1a1a999" });
      const err = await failure(provider.host.create(urn("nobody"), ins));
      assert.equal(err.initFailure, undefined);
      assert.match(err.message, /TRUTO_NOT_FOUND/);
      assert.match(err.message, /does not exist; check userId/);
    });

    it("update: one not-found is re-read, and the new role is confirmed and recorded", async () => {
      const ins = await checked("grow", jumpcloud([{ id: "manager" }]));
      const { id, outputs } = await provider.host.create(urn("grow"), ins);
      const news = await checked("grow", jumpcloud([{ id: "manager" }, { id: "help-desk" }]), ins);
      await sandbox.admin.faults(userNotFound(carol, 1));
      const { outputs: after } = await provider.host.update(id, urn("grow"), outputs, news);
      assert.deepEqual(
        (after.heldRoles as Props[]).map((r) => r.id),
        ["help-desk", "manager"],
      );
    });

    it("update: a user invisible through the settle window after a successful grant is a partial failure that records the new role", async () => {
      const ins = await checked("grow2", jumpcloud([{ id: "manager" }]));
      const { id, outputs } = await provider.host.create(urn("grow2"), ins);
      const news = await checked("grow2", jumpcloud([{ id: "help-desk" }]), ins);
      await sandbox.admin.faults(userNotFound(carol, 1_000));
      const err = await failure(provider.host.update(id, urn("grow2"), outputs, news));
      assert.ok(err.initFailure, `expected a partial failure, got: ${err.message}`);
      assert.deepEqual(
        (err.initFailure.properties.roles as Props[]).map((r) => r.id).sort(),
        ["help-desk", "manager"],
        "the new role and the one being revoked",
      );
      assert.deepEqual(await held(acct.jumpcloud, carol), ["help-desk"]);
    });

    it("delete: one not-found after a revoke that did nothing does not pass for success", async () => {
      const ins = await checked("stay", jumpcloud([{ id: "manager" }]));
      const { id, outputs } = await provider.host.create(urn("stay"), ins);
      await sandbox.admin.faults({ method: "POST", path: `${USERS}/unassign-role`, count: 100, noop: true });
      await sandbox.admin.faults(userNotFound(carol, 1));
      const err = await failure(provider.host.delete(id, urn("stay"), outputs));
      assert.match(err.message, /still holds manager/);
      assert.deepEqual(await held(acct.jumpcloud, carol), ["manager"]);
    });

    it("delete: succeeds for a user that is really gone (not found through the whole settle window)", async () => {
      const ins = await checked("left", jumpcloud([{ id: "manager" }]));
      const { id, outputs } = await provider.host.create(urn("left"), ins);
      await editState((state) => {
        state.users = state.users.filter((u) => !(u.accountId === acct.jumpcloud && u.id === carol));
      });
      await provider.host.delete(id, urn("left"), outputs);
      const reads = (await sandbox.admin.requests()).filter((e) => e.method === "GET" && e.path === `${USERS}/${carol}`);
      assert.ok(reads.length >= 2, `the absence was read more than once (${reads.length})`);
    });
  });

  describe("Elastic Cloud: a role still held in some of its organizations", () => {
    it("refresh keeps it, narrowed to where it is held; the next up re-grants only the missing organization", async () => {
      const program = elastic([{ id: "deployment-editor" }]);
      const ins = await checked("orgs", program);
      const { id, outputs } = await provider.host.create(urn("orgs"), ins);
      assert.deepEqual(await held(acct.elasticcloud, elasticUser), [`deployment-editor@${production}`, `deployment-editor@${staging}`]);

      await editState((state) => {
        const user = state.users.find((u) => u.accountId === acct.elasticcloud && u.id === elasticUser)!;
        user.roles = user.roles.filter((r) => r.organization !== production);
      });
      const drift = await provider.host.read(id, urn("orgs"), outputs, ins);
      assert.equal(drift.id, id, "held in one organization is drift, not gone");
      assert.deepEqual(drift.outputs.heldRoles, [{ id: "deployment-editor", organization: staging }]);
      assert.deepEqual(drift.inputs.roles, [{ id: "deployment-editor", organization: staging }], "inputs show what is really held");

      const news = await checked("orgs", program, drift.inputs);
      const preview = await provider.host.diff(id, urn("orgs"), drift.outputs, news, drift.inputs);
      assert.deepEqual([preview.changes, preview.replaces], ["some", []], "the next preview shows the re-grant as an update");
      await sandbox.admin.clearRequests();
      const { outputs: after } = await provider.host.update(id, urn("orgs"), drift.outputs, news, drift.inputs);
      assert.deepEqual(after.heldRoles, [{ id: "deployment-editor" }]);
      assert.deepEqual(await held(acct.elasticcloud, elasticUser), [`deployment-editor@${production}`, `deployment-editor@${staging}`]);
      const writes = (await sandbox.admin.requests()).filter((e) => e.method === "POST").map((e) => e.path.split("/").pop());
      assert.deepEqual(writes, ["assign-role"], "re-granted where missing; the organization where it stayed was not revoked");
    });

    it("destroy after such a refresh still revokes the role where it is held", async () => {
      const ins = await checked("orgs2", elastic([{ id: "deployment-editor" }]));
      const { id, outputs } = await provider.host.create(urn("orgs2"), ins);
      await editState((state) => {
        const user = state.users.find((u) => u.accountId === acct.elasticcloud && u.id === elasticUser)!;
        user.roles = user.roles.filter((r) => r.organization !== staging);
      });
      const drift = await provider.host.read(id, urn("orgs2"), outputs, ins);
      assert.equal(drift.id, id);
      await provider.host.delete(id, urn("orgs2"), drift.outputs);
      assert.deepEqual(await held(acct.elasticcloud, elasticUser), []);
    });

    it("refresh drops it only when the role is held in no organization", async () => {
      const ins = await checked("orgs3", elastic([{ id: "deployment-editor" }]));
      const { id, outputs } = await provider.host.create(urn("orgs3"), ins);
      await editState((state) => {
        state.users.find((u) => u.accountId === acct.elasticcloud && u.id === elasticUser)!.roles = [];
      });
      assert.equal((await provider.host.read(id, urn("orgs3"), outputs, ins)).id, "");
    });
  });

  describe("a partial failure over many roles", () => {
    it("always fits: at most ten reasons, then how many more, each bounded, in a record the host sends back", async () => {
      // As many Slack roles as check allows, with the longest ids (one request each), and a vendor whose
      // refusal is 30,000 characters.
      const ids = Array.from({ length: MAX_ROLES_PER_RESOURCE }, (_, n) =>
        `Rl${String(n).padStart(3, "0")}`.padEnd(MAX_ROLE_ID_LENGTH, "x"),
      );
      await editState((state) => {
        for (const roleId of ids) state.roles.push({ accountId: acct.slackenterprise, id: roleId, name: `Role ${roleId.slice(0, 5)}` });
      });
      const inputs = {
        integratedAccountId: acct.slackenterprise,
        integration: "slackenterprise",
        userId: SEED_IDS.slackenterprise.users.dan,
        workspaceId: SEED_IDS.slackenterprise.workspaces.platform,
        roles: ids.map((roleId) => ({ id: roleId })),
      };
      const ins = await checked("many", inputs);
      const refusal = { statusCode: 403, error: "Forbidden", message: `Missing scope: users:write. ${"detail ".repeat(4_300)}` };
      await sandbox.admin.faults({
        method: "POST",
        path: `${USERS}/assign-role`,
        count: MAX_ROLES_PER_RESOURCE - 1,
        status: 403,
        body: refusal,
      });
      const err = await failure(provider.host.create(urn("many"), ins));
      assert.ok(err.initFailure, `expected a partial failure, got gRPC ${err.grpcCode}: ${err.details.slice(0, 300)}`);
      const { reasons, properties } = err.initFailure;
      assert.equal(reasons.length, 11, "ten reasons, then a note");
      assert.equal(reasons[10], `…and ${MAX_ROLES_PER_RESOURCE - 11} more`);
      for (const reason of reasons) assert.ok(reason.length <= 1_100, `a reason of ${reason.length} characters`);
      assert.match(err.details, new RegExp(`granted 1 of ${MAX_ROLES_PER_RESOURCE} roles`));
      assert.ok(err.details.length < 20_000, `the message is ${err.details.length} characters`);
      assert.equal((properties.heldRoles as Props[]).length, 1);
      assert.equal((properties.roles as Props[]).length, MAX_ROLES_PER_RESOURCE);
    });
  });
});
