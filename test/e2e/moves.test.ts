/**
 * Access that is never lost by accident, on the real Pulumi CLI: a rename without aliases, an assignment
 * split in two, an Elastic Cloud assignment deleted while another takes over its organization, and
 * `onDelete: "restore"` on all three integrations. Each scenario has its own sandbox and stack; the program
 * is test/e2e/programs/assignments, where a resource's name is its key in the `assignments` config, so a
 * rename is a changed key.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { summarizePreview } from "../../src/review";
import { SEED_IDS } from "../../src/sandbox";
import { grantKey, scenarioSandbox, sorted, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiStack, PulumiWorkspace } from "../support/pulumi-cli";

const { slackenterprise: SLACK, jumpcloud: JUMPCLOUD, elasticcloud: ELASTIC } = SEED_IDS.accounts;
const ALICE_JC = "64a1f0c2e4b0a1a1a1a1a001";
const BOB_JC = "64a1f0c2e4b0a1a1a1a1a002";
const CAROL_JC = "64a1f0c2e4b0a1a1a1a1a003";
const PROD = "4201839311";
const STAGING = "4201839312";
const PROGRAM = path.join(__dirname, "programs", "assignments");
const OWNERS = (Object.keys(SEED_IDS.accounts) as (keyof typeof SEED_IDS.accounts)[]).map((slug) => SEED_IDS[slug].users.owner);

type Assignments = Record<string, object>;

/** An assignment's config: the integration's seed account, the user, its scope (Slack's workspace, Elastic's organizations) and role ids. */
function assignment(
  integration: "jumpcloud" | "slackenterprise" | "elasticcloud",
  userId: string,
  roles: string[],
  scope?: string | string[],
) {
  const account = { jumpcloud: JUMPCLOUD, slackenterprise: SLACK, elasticcloud: ELASTIC }[integration];
  const where = typeof scope === "string" ? { workspaceId: scope } : scope ? { organizations: scope.map((id) => ({ id })) } : {};
  return { integratedAccountId: account, integration, userId, ...where, roles: roles.map((id) => ({ id })) };
}
const jumpcloud = (userId: string, ...roles: string[]) => assignment("jumpcloud", userId, roles);
const slack = (userId: string, ...roles: string[]) => assignment("slackenterprise", userId, roles, "T0PLATFORM");
const elastic = (userId: string, organizations: string[], ...roles: string[]) => assignment("elasticcloud", userId, roles, organizations);

describeWithPulumi("e2e: moves, renames and onDelete on the real Pulumi CLI", (pulumi) => {
  let workspace: PulumiWorkspace;
  let sandbox: ScenarioSandbox | undefined;
  let stack: PulumiStack | undefined;
  before(async () => {
    workspace = await PulumiWorkspace.create(pulumi);
  });
  after(() => workspace?.dispose());
  beforeEach(async () => {
    sandbox = await scenarioSandbox();
    stack = await PulumiStack.init(workspace, await workspace.project(PROGRAM), sandbox.env());
  });
  afterEach(async () => {
    await stack?.remove();
    await sandbox?.close();
  });
  const configure = (a: Assignments) => stack!.setConfig("assignments", JSON.stringify(a));
  const names = async () => sorted((await stack!.assignments()).keys());
  const heldOf = async (account: string, user: string) =>
    sorted([...(await sandbox!.held())].filter((k) => k.startsWith(`${account}/${user}/`)));

  describe("moves", function () {
    this.timeout(600_000);

    it("a rename without aliases keeps the access, the review calls it a move and suggests aliases, and up says who keeps it", async () => {
      await configure({ "alice-jc": jumpcloud(ALICE_JC, "administrator") });
      await stack!.up();
      await configure({ "alice-jumpcloud": jumpcloud(ALICE_JC, "administrator") });

      const review = summarizePreview(await stack!.previewJson());
      assert.deepEqual(
        review.moves.map((m) => [m.role.id, m.from, m.to, m.sameAssignment]),
        [["administrator", "alice-jc", "alice-jumpcloud", true]],
      );
      assert.equal(review.totals.granted + review.totals.revoked, 0, "a move is neither a grant nor a revoke");

      const up = await stack!.up();
      assert.match(up.output, /"alice-jc" left administrator .*"alice-jumpcloud" holds it/, up.output);
      assert.deepEqual(await heldOf(JUMPCLOUD, ALICE_JC), [grantKey(JUMPCLOUD, ALICE_JC, "administrator")], "access kept");
      assert.deepEqual(await names(), ["alice-jumpcloud"]);
      await stack!.preview({}, "--expect-no-changes");
      await stack!.destroy();
      assert.deepEqual(await heldOf(JUMPCLOUD, ALICE_JC), [], "the new name's destroy revokes it");
    });

    it("an assignment split in two keeps both roles", async () => {
      await configure({ carol: jumpcloud(CAROL_JC, "manager", "help-desk") });
      await stack!.up();
      await configure({ "carol-manager": jumpcloud(CAROL_JC, "manager"), "carol-help-desk": jumpcloud(CAROL_JC, "help-desk") });
      const review = summarizePreview(await stack!.previewJson());
      assert.deepEqual(sorted(review.moves.map((m) => `${m.role.id}:${m.from}>${m.to}`)), [
        "help-desk:carol>carol-help-desk",
        "manager:carol>carol-manager",
      ]);
      await stack!.up();
      assert.deepEqual(await heldOf(JUMPCLOUD, CAROL_JC), sorted(["manager", "help-desk"].map((r) => grantKey(JUMPCLOUD, CAROL_JC, r))));
      assert.deepEqual(await names(), ["carol-help-desk", "carol-manager"]);
    });

    it("Elastic Cloud: deleting an assignment whose organization a live one shares gives back what the live one holds there", async () => {
      await configure({ "dan-prod": elastic("1183940204", [PROD], "deployment-editor") });
      await stack!.up();
      await configure({ "dan-everywhere": elastic("1183940204", [PROD, STAGING], "deployment-viewer") });
      await stack!.up();
      assert.deepEqual(
        await heldOf(ELASTIC, "1183940204"),
        sorted([PROD, STAGING].map((o) => grantKey(ELASTIC, "1183940204", "deployment-viewer", o))),
      );
      assert.deepEqual(await names(), ["dan-everywhere"]);
    });
  });

  describe('onDelete: "restore"', function () {
    this.timeout(600_000);

    it("destroy revokes what the stack granted and leaves the roles people held before, on all three integrations", async () => {
      const before = await sandbox!.held();
      const restore = { onDelete: "restore" };
      await configure({
        "alice-slack": { ...slack("U01ALICE", "Rl0A", "Rl03"), ...restore },
        "bob-jc": { ...jumpcloud(BOB_JC, "read-only", "help-desk"), ...restore },
        "carol-elastic": { ...elastic("1183940203", [STAGING], "deployment-viewer", "deployment-editor"), ...restore },
      });
      await stack!.up();
      const adopted = new Map(
        [...(await stack!.assignments())].map(([name, r]) => [name, (r.outputs!.adoptedRoles as { id: string }[]).map((x) => x.id)]),
      );
      assert.deepEqual(Object.fromEntries(adopted), {
        "alice-slack": ["Rl0A"],
        "bob-jc": ["read-only"],
        "carol-elastic": ["deployment-viewer"],
      });
      await stack!.destroy();
      assert.deepEqual(sorted(await sandbox!.held()), sorted(before), "exactly the seed's roles are held again");
      assert.equal(
        [...before].filter((k) => !OWNERS.some((owner) => k.includes(`/${owner}/`))).length,
        3,
        "the people's three, besides the owners'",
      );
    });
  });

  describe("the last-holder guard", function () {
    this.timeout(600_000);

    /** Takes Administrator away from JumpCloud's seeded owner, so carol, once granted it, is its last holder. */
    async function carolLastAdministrator(): Promise<void> {
      const state = await sandbox!.admin.state();
      const owner = state.users.find((u) => u.accountId === JUMPCLOUD && u.id === SEED_IDS.jumpcloud.users.owner)!;
      owner.roles = owner.roles.filter((r) => r.id !== "administrator");
      await sandbox!.admin.putState(state);
    }

    it("destroy refuses to revoke the last Administrator and keeps state; allowLastHolder through up lets the next destroy revoke it", async () => {
      await carolLastAdministrator();
      await configure({ "carol-admin": jumpcloud(CAROL_JC, "administrator") });
      await stack!.up();

      const refused = await stack!.destroy({ allowFailure: true });
      assert.notEqual(refused.code, 0);
      assert.match(refused.output, /TRUTO_LAST_HOLDER/);
      assert.match(refused.output, /`allowLastHolder: true` on RoleAssignment "carol-admin"/);
      assert.deepEqual(await names(), ["carol-admin"], "the assignment stays in state");
      assert.deepEqual(await heldOf(JUMPCLOUD, CAROL_JC), [grantKey(JUMPCLOUD, CAROL_JC, "administrator")]);

      await configure({ "carol-admin": { ...jumpcloud(CAROL_JC, "administrator"), allowLastHolder: true } });
      const preview = await stack!.previewJson();
      assert.deepEqual(
        preview.steps!.filter((st) => st.op !== "same").map((st) => [st.op, st.urn.split("::").pop()]),
        [["update", "carol-admin"]],
      );
      await stack!.up();
      await stack!.destroy();
      assert.deepEqual(await heldOf(JUMPCLOUD, CAROL_JC), []);
      assert.deepEqual(await names(), []);
    });

    it("truto:protectedRoles in stack config protects a role the defaults do not", async () => {
      await stack!.setConfig("truto:protectedRoles", "manager");
      await configure({ carol: jumpcloud(CAROL_JC, "manager") });
      await stack!.up();
      await configure({ carol: jumpcloud(CAROL_JC, "help-desk") });
      const refused = await stack!.up({ allowFailure: true });
      assert.notEqual(refused.code, 0);
      assert.match(refused.output, /TRUTO_LAST_HOLDER[^]*refusing to revoke manager[^]*matches "manager"/);
      assert.deepEqual(
        await heldOf(JUMPCLOUD, CAROL_JC),
        [grantKey(JUMPCLOUD, CAROL_JC, "manager")],
        "nothing was written: help-desk not granted, manager kept",
      );
      // Destroy configures the provider with the config the last `up` recorded, so the change goes through `up`.
      await stack!.removeConfig("truto:protectedRoles");
      await stack!.up();
      assert.deepEqual(await heldOf(JUMPCLOUD, CAROL_JC), [grantKey(JUMPCLOUD, CAROL_JC, "help-desk")]);
      await stack!.destroy();
    });
  });
});
