/**
 * Access that is never lost by accident, through the real provider host in the engine's call order: a
 * rename without aliases, a role moved between two resources, an Elastic Cloud assignment deleted while
 * another shares its organization, and `onDelete: "restore"` on Slack Enterprise, JumpCloud and Elastic
 * Cloud. Each test is one deployment in one host process, as the engine runs it (creates and updates
 * first, deletes of removed resources last).
 */
import { strict as assert } from "node:assert";
import { assignmentInputs } from "../support/assignment-inputs";
import { HostCallError } from "../support/host";
import { resourceCalls, useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { SEED_IDS } from "../../src/sandbox";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;
const ORG_PROD = "4201839311";
const ORG_STAGING = "4201839312";
const { jumpcloud, slack, elastic } = assignmentInputs;

describe("moves, renames and onDelete through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  const provider = useProviderHost(sandbox);

  const { create, update, remove } = resourceCalls(provider);

  /** The user's roles in the sandbox as "id" or "id@scope". */
  async function held(accountId: string, userId: string): Promise<string[]> {
    const state = await sandbox.admin.state();
    const user = state.users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) => ((r.workspace ?? r.organization) ? `${r.id}@${r.workspace ?? r.organization}` : r.id)).sort();
  }

  /** What the host printed since `mark` (its output grows through the file). */
  const outputSince = (mark: number): string => provider.host.output().slice(mark);

  const ids = (roles: unknown): string[] =>
    ((roles as { id: string; organization?: string }[]) ?? []).map((r) => (r.organization ? `${r.id}@${r.organization}` : r.id)).sort();

  describe("a rename without aliases", () => {
    it("creates the new name, then deletes the old one without revoking what the new one holds, and says which keeps it", async () => {
      const alice = "64a1f0c2e4b0a1a1a1a1a001";
      // The deployment before: `alice-jc` granted Administrator.
      const old = await create("alice-jc", jumpcloud(alice, ["administrator"]));
      assert.deepEqual(await held(acct.jumpcloud, alice), ["administrator"]);

      // The renamed program's deployment: the new name is created (the role is held, so adopted), then the
      // engine deletes the name that left the program.
      const mark = provider.host.output().length;
      const renamed = await create("alice-jumpcloud", jumpcloud(alice, ["administrator"]));
      await remove(old);

      assert.deepEqual(await held(acct.jumpcloud, alice), ["administrator"], "access kept");
      assert.deepEqual(ids(renamed.outputs.heldRoles), ["administrator"], "state: the new resource holds it");
      assert.match(outputSince(mark), /"alice-jc" left administrator .*"alice-jumpcloud" holds it in this deployment \(still held\)/);

      // And the new resource's own destroy revokes it: nothing is left unmanaged.
      await remove(renamed);
      assert.deepEqual(await held(acct.jumpcloud, alice), []);
    });
  });

  describe("a role moved between two resources", () => {
    const carol = "64a1f0c2e4b0a1a1a1a1a003";

    it("keeps it when the resource taking it runs first", async () => {
      const a = await create("carol-admin", jumpcloud(carol, ["manager", "help-desk"]));
      const b = await create("carol-support", jumpcloud(carol, ["command-runner"]));
      const mark = provider.host.output().length;
      await update(b, jumpcloud(carol, ["command-runner", "help-desk"]));
      const after = await update(a, jumpcloud(carol, ["manager"]));
      assert.deepEqual(await held(acct.jumpcloud, carol), ["command-runner", "help-desk", "manager"]);
      assert.deepEqual(ids(after.outputs.roles), ["manager"], "the resource giving it up no longer records it");
      assert.match(outputSince(mark), /"carol-admin" left help-desk .*"carol-support" holds it/);
    });

    it("ends held when the resource giving it up runs first: the other grants it again", async () => {
      const a = await create("carol-admin", jumpcloud(carol, ["manager", "help-desk"]));
      const b = await create("carol-support", jumpcloud(carol, ["command-runner"]));
      await update(a, jumpcloud(carol, ["manager"]));
      const taken = await update(b, jumpcloud(carol, ["command-runner", "help-desk"]));
      assert.deepEqual(await held(acct.jumpcloud, carol), ["command-runner", "help-desk", "manager"]);
      assert.deepEqual(ids(taken.outputs.adoptedRoles), [], "granted, not adopted");
    });

    it("keeps it when the role moves to a new resource and the old one is deleted (a re-keyed map)", async () => {
      const a = await create("team-carol", jumpcloud(carol, ["manager"]));
      await create("carol", jumpcloud(carol, ["manager"]));
      await remove(a);
      assert.deepEqual(await held(acct.jumpcloud, carol), ["manager"]);
    });
  });

  describe("Elastic Cloud: a deleted assignment shares its organization with a live one", () => {
    const dan = "1183940204";

    it("revokes the organization, grants back what the live one holds there, and confirms it", async () => {
      const old = await create("dan-prod", elastic(dan, [ORG_PROD], ["deployment-editor"]));
      const mark = provider.host.output().length;
      await create("dan-everywhere", elastic(dan, [ORG_PROD, ORG_STAGING], ["deployment-viewer"]));
      await remove(old);
      assert.deepEqual(await held(acct.elasticcloud, dan), [`deployment-viewer@${ORG_PROD}`, `deployment-viewer@${ORG_STAGING}`]);
      assert.match(
        outputSince(mark),
        new RegExp(`"dan-prod" left deployment-viewer in organization ${ORG_PROD} .*"dan-everywhere" holds it`),
      );
    });

    it("fails and keeps state when the grant back fails", async () => {
      const old = await create("dan-prod", elastic(dan, [ORG_PROD], ["deployment-editor"]));
      await create("dan-everywhere", elastic(dan, [ORG_PROD, ORG_STAGING], ["deployment-viewer"]));
      await sandbox.admin.faults({ method: "POST", path: "/unified/user-directory/users/assign-role", count: 1, status: 403 });
      await assert.rejects(
        remove(old),
        (e: unknown) =>
          e instanceof HostCallError &&
          /lost deployment-viewer in organization 4201839311.*"dan-everywhere" holds it.*stays in state/s.test(e.message),
      );
      await sandbox.admin.clearFaults();
      // The engine keeps the resource and runs its delete again; this time the grant back lands.
      await remove(old);
      assert.deepEqual(await held(acct.elasticcloud, dan), [`deployment-viewer@${ORG_PROD}`, `deployment-viewer@${ORG_STAGING}`]);
    });
  });

  describe('onDelete: "restore"', () => {
    it("Slack Enterprise: destroy revokes the role it granted and leaves the one the user held", async () => {
      const alice = "U01ALICE"; // the seed gives her Rl0A in T0PLATFORM
      const live = await create("alice-slack", slack(alice, ["Rl0A", "Rl03"], { onDelete: "restore" }));
      assert.deepEqual(ids(live.outputs.adoptedRoles), ["Rl0A"]);
      assert.deepEqual(await held(acct.slackenterprise, alice), ["Rl03@T0PLATFORM", "Rl0A@T0PLATFORM"]);
      const mark = provider.host.output().length;
      await remove(live);
      assert.deepEqual(await held(acct.slackenterprise, alice), ["Rl0A@T0PLATFORM"]);
      assert.match(
        outputSince(mark),
        /left Rl0A in workspace T0PLATFORM .*held it before this resource claimed it \(onDelete: "restore"; still held\)/,
      );
    });

    it("JumpCloud: the same, and an added role already held is adopted by the update", async () => {
      const bob = "64a1f0c2e4b0a1a1a1a1a002"; // the seed gives him read-only
      let live = await create("bob-jc", jumpcloud(bob, ["help-desk"], { onDelete: "restore" }));
      assert.deepEqual(ids(live.outputs.adoptedRoles), []);
      live = await update(live, jumpcloud(bob, ["help-desk", "read-only"], { onDelete: "restore" }));
      assert.deepEqual(ids(live.outputs.adoptedRoles), ["read-only"]);
      await remove(live);
      assert.deepEqual(await held(acct.jumpcloud, bob), ["read-only"]);
    });

    it("Elastic Cloud: the organization's revoke is followed by granting the adopted role back", async () => {
      const carol = "1183940203"; // the seed gives her deployment-viewer in staging
      const live = await create(
        "carol-staging",
        elastic(carol, [ORG_STAGING], ["deployment-viewer", "deployment-editor"], { onDelete: "restore" }),
      );
      assert.deepEqual(ids(live.outputs.adoptedRoles), ["deployment-viewer"], "held in every organization of the resource");
      await remove(live);
      assert.deepEqual(await held(acct.elasticcloud, carol), [`deployment-viewer@${ORG_STAGING}`]);
    });

    it("Elastic Cloud: when every role left is adopted, destroy sends no revoke at all", async () => {
      const carol = "1183940203";
      const live = await create("carol-staging", elastic(carol, [ORG_STAGING], ["deployment-viewer"], { onDelete: "restore" }));
      await sandbox.admin.clearRequests();
      await remove(live);
      const writes = (await sandbox.admin.requests()).filter((e) => e.method === "POST");
      assert.deepEqual(writes, []);
      assert.deepEqual(await held(acct.elasticcloud, carol), [`deployment-viewer@${ORG_STAGING}`]);
    });

    it('"revoke" (the default) still revokes every declared role, held before or not, and reads nothing first', async () => {
      const bob = "64a1f0c2e4b0a1a1a1a1a002";
      await sandbox.admin.clearRequests();
      const live = await create("bob-jc", jumpcloud(bob, ["help-desk", "read-only"]));
      assert.equal(live.outputs.adoptedRoles, undefined, "adoption is recorded only for restore");
      const firstApiCall = (await sandbox.admin.requests()).find((e) => e.path.startsWith("/unified/"));
      assert.equal(firstApiCall?.method, "POST", "the default create writes first, as before");
      await remove(live);
      assert.deepEqual(await held(acct.jumpcloud, bob), []);
    });

    it("changing onDelete is an update without an API call, and what was adopted stays recorded", async () => {
      const bob = "64a1f0c2e4b0a1a1a1a1a002";
      const live = await create("bob-jc", jumpcloud(bob, ["help-desk", "read-only"], { onDelete: "restore" }));
      await sandbox.admin.clearRequests();
      const revoking = await update(live, jumpcloud(bob, ["help-desk", "read-only"], { onDelete: "revoke" }));
      const restoring = await update(revoking, jumpcloud(bob, ["help-desk", "read-only"], { onDelete: "restore" }));
      assert.deepEqual(await sandbox.admin.requests(), []);
      assert.equal(restoring.outputs.onDelete, "restore");
      assert.deepEqual(ids(restoring.outputs.adoptedRoles), ["read-only"]);
      await remove(restoring);
      assert.deepEqual(await held(acct.jumpcloud, bob), ["read-only"]);
    });
  });
});
