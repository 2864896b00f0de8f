/**
 * The rules of the engine model (tools/engine/deployment.ts) that no other scenario shows, on the real Pulumi
 * CLI: a partial Update, a failed delete of a replaced resource kept as a pending delete and retired first, no
 * new step after a failed one (and no deletes at the end), refresh clearing `initErrors`, and a failed Check.
 * Each test is named after the rule, and test/demo/deployment.test.ts names the test here for each model test.
 * Faults come from the sandbox's admin API; each scenario has its own sandbox and stack, and checks the
 * sandbox's state, `pulumi stack export` and what the CLI printed.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { SEED_IDS } from "../../src/sandbox";
import {
  editState,
  grantKey,
  jumpcloudRoles,
  roleCalls,
  scenarioStacks,
  slackRoles,
  sorted,
  type ScenarioSandbox,
} from "../support/e2e-access";
import { describeWithPulumi, PulumiWorkspace, type StateResource } from "../support/pulumi-cli";

const { slackenterprise: SLACK, jumpcloud: JUMPCLOUD } = SEED_IDS.accounts;
const JC = SEED_IDS.jumpcloud.users;
const PROGRAM = path.join(__dirname, "programs", "assignments");
const ASSIGN = "/unified/user-directory/users/assign-role";
const UNASSIGN = "/unified/user-directory/users/unassign-role";

const jumpcloud = jumpcloudRoles;
const slack = (userId: string, ...roles: string[]) => slackRoles(userId, "T0PLATFORM", ...roles);
const ids = (roles: { id: string }[] | undefined) => sorted((roles ?? []).map((r) => r.id));

describeWithPulumi("e2e: the engine model's rules on the real Pulumi CLI", (pulumi) => {
  let workspace: PulumiWorkspace;
  before(async () => {
    workspace = await PulumiWorkspace.create(pulumi);
  });
  after(() => workspace?.dispose());
  const s = scenarioStacks(() => workspace, PROGRAM);

  /** The roles `account/user` holds in the sandbox, as grant keys. */
  const heldBy = async (account: string, user: string) =>
    sorted([...(await s.sandbox().held())].filter((k) => k.startsWith(`${account}/${user}/`)));
  /** Every RoleAssignment entry of `pulumi stack export` named `name` (a replaced one waiting for its delete too). */
  const entries = async (name: string): Promise<StateResource[]> =>
    ((await s.stack().exportState()).deployment.resources ?? []).filter((r) => r.urn.endsWith(`::${name}`));
  /** The ops `pulumi preview --json` plans for the RoleAssignments, as "op name". */
  const plannedOps = async (...flags: string[]) => {
    const preview = await s.stack().previewJson(...flags);
    const ops = (preview.steps ?? [])
      .filter((st) => st.urn.includes("truto:RoleAssignment"))
      .map((st) => `${st.op} ${st.urn.split("::").pop()}`);
    if (ops.length === 0) throw new Error(`no RoleAssignment step in the preview:\n${JSON.stringify(preview, null, 2)}`);
    return ops;
  };
  const forbidden = (sandbox: ScenarioSandbox, path: string) =>
    sandbox.admin.faults({
      method: "POST",
      path,
      count: 1_000,
      status: 403,
      body: { statusCode: 403, message: "Missing scope: users:write." },
    });

  describe("partial failure of an update", function () {
    this.timeout(600_000);

    it("an update that fails on some roles keeps the old inputs and records what is held and initErrors; the next up converges through an Update", async () => {
      await s.configure({ carol: jumpcloud(JC.carol, "manager", "help-desk") });
      await s.stack().up();
      const [before] = await entries("carol");
      // The grant of read-only lands; the revoke of help-desk is refused.
      await forbidden(s.sandbox(), UNASSIGN);
      await s.configure({ carol: jumpcloud(JC.carol, "manager", "read-only") });
      const failed = await s.stack().up({ allowFailure: true });
      assert.notEqual(failed.code, 0, failed.output);
      assert.match(failed.output, /could not revoke/, failed.output);

      const recorded = await entries("carol");
      assert.equal(recorded.length, 1);
      const [carol] = recorded;
      assert.equal(carol.id, before.id, "an update keeps the id");
      // Not the new inputs: for a partially failed update the engine keeps the old inputs with the new outputs
      // (engine/update.go, OnResourceStepPost, pulumi/pulumi#2011), so the next Diff still sees the change.
      assert.deepEqual(ids(carol.inputs!.roles), ["help-desk", "manager"], "the old inputs are kept");
      assert.deepEqual(ids(carol.outputs!.heldRoles), ["help-desk", "manager", "read-only"], "with what is really held");
      assert.ok((carol.initErrors ?? []).length > 0, "and the failure as initErrors");
      assert.deepEqual(
        await heldBy(JUMPCLOUD, JC.carol),
        sorted(["help-desk", "manager", "read-only"].map((r) => grantKey(JUMPCLOUD, JC.carol, r))),
      );

      const next = (await s.stack().previewJson("--diff")).steps!.find((st) => st.urn.endsWith("::carol"))!;
      assert.equal(next.op, "update", "the next preview is an update");
      assert.deepEqual(ids(next.newState!.inputs!.roles), ["manager", "read-only"]);
      await s.sandbox().admin.clearFaults();
      await s.stack().up();
      assert.deepEqual(await heldBy(JUMPCLOUD, JC.carol), sorted(["manager", "read-only"].map((r) => grantKey(JUMPCLOUD, JC.carol, r))));
      assert.deepEqual((await entries("carol"))[0].initErrors ?? [], [], "a successful update clears them");
      await s.stack().preview({}, "--expect-no-changes");
    });
  });

  describe("a replaced resource whose delete failed", function () {
    this.timeout(600_000);

    it("stays in state as a pending delete (delete: true) beside its replacement, and the next up deletes it with the deletes at the end", async () => {
      const BOB = SEED_IDS.slackenterprise.users.bob;
      const CAROL = SEED_IDS.slackenterprise.users.carol;
      await s.configure({ admin: slack(BOB, "Rl0J") });
      await s.stack().up();
      await forbidden(s.sandbox(), UNASSIGN);
      await s.configure({ admin: slack(CAROL, "Rl0J") });
      const failed = await s.stack().up({ allowFailure: true });
      assert.notEqual(failed.code, 0, failed.output);

      const both = await entries("admin");
      assert.deepEqual(
        sorted(both.map((e) => `${e.outputs!.userId}${e.delete ? " (delete)" : ""}`)),
        [`${BOB} (delete)`, CAROL],
        "the replacement is live, the old one waits to be deleted",
      );
      assert.ok((await s.sandbox().held()).has(grantKey(SLACK, BOB, "Rl0J", "T0PLATFORM")));
      assert.ok((await s.sandbox().held()).has(grantKey(SLACK, CAROL, "Rl0J", "T0PLATFORM")));

      // The pending delete is a delete-replaced step, which preview --json shows only with --show-replacement-steps.
      assert.deepEqual(await plannedOps("--show-sames"), ["same admin"]);
      assert.deepEqual(await plannedOps("--show-sames", "--show-replacement-steps"), ["same admin", "delete-replaced admin"]);
      // One more assignment in the same up shows where the pending delete runs: with the deletes at the end
      // (GenerateDeletes, step_generator.go), after the program's creates, not before them.
      const ERIN = SEED_IDS.slackenterprise.users.erin;
      await s.configure({ admin: slack(CAROL, "Rl0J"), erin: slack(ERIN, "Rl0C") });
      await s.sandbox().admin.clearFaults();
      await s.sandbox().admin.clearRequests();
      await s.stack().up();
      assert.deepEqual(await roleCalls(s.sandbox()), [`assign ${ERIN}`, `unassign ${BOB}`], "the create, then the pending delete");
      assert.deepEqual(
        (await entries("admin")).map((e) => [e.outputs!.userId, e.delete ?? false]),
        [[CAROL, false]],
      );
      assert.deepEqual(await heldBy(SLACK, BOB), []);
      assert.deepEqual(await heldBy(SLACK, CAROL), [grantKey(SLACK, CAROL, "Rl0J", "T0PLATFORM")]);
      await s.stack().preview({}, "--expect-no-changes");
    });
  });

  describe("a failed step", function () {
    this.timeout(600_000);

    it("with --parallel 1, no step starts after it, and the resource that left the program is not deleted", async () => {
      await s.configure({ dan: slack(SEED_IDS.slackenterprise.users.dan, "Rl0C") });
      await s.stack().up();
      // Both creates fail (their users are gone); dan left the program, so the deletes at the end would revoke his role.
      await editState(
        s.sandbox(),
        (st) => void (st.users = st.users.filter((u) => !(u.accountId === JUMPCLOUD && ([JC.bob, JC.carol] as string[]).includes(u.id)))),
      );
      await s.configure({ bob: jumpcloud(JC.bob, "manager"), carol: jumpcloud(JC.carol, "manager") });
      await s.sandbox().admin.clearRequests();
      const failed = await s.stack().up({ allowFailure: true }, "--parallel", "1");
      assert.notEqual(failed.code, 0, failed.output);

      const missing = [JC.bob, JC.carol].filter((id) =>
        failed.output.includes(`user "${id}" in JumpCloud account ${JUMPCLOUD} does not exist`),
      );
      assert.equal(missing.length, 1, `exactly one create ran and failed; the other never started:\n${failed.output}`);
      const asked = (await s.sandbox().admin.requests()).filter((r) => [JC.bob, JC.carol].some((id) => r.path.endsWith(`/users/${id}`)));
      assert.deepEqual(sorted(new Set(asked.map((r) => r.path.split("/").pop()!))), missing, "the sandbox heard of one user only");
      // The create that ran tried its grant (the sandbox refused it: no such user); nothing else was written.
      assert.deepEqual(
        await roleCalls(s.sandbox()),
        missing.map((id) => `assign ${id}`),
        "no other grant, and no revoke of dan's role",
      );
      assert.deepEqual(
        sorted((await s.stack().assignments()).keys()),
        ["dan"],
        "dan is still in state: the deletes at the end did not run",
      );
      assert.deepEqual(await heldBy(SLACK, SEED_IDS.slackenterprise.users.dan), [
        grantKey(SLACK, SEED_IDS.slackenterprise.users.dan, "Rl0C", "T0PLATFORM"),
      ]);
    });
  });

  describe("refresh after a partial failure", function () {
    this.timeout(600_000);

    it("clears the initErrors a partial create left and records what is held; the next preview updates by Diff alone", async () => {
      const BOB = SEED_IDS.slackenterprise.users.bob;
      await s.configure({ bob: slack(BOB, "Rl03", "Rl0J") });
      // Slack takes one role per request: the first grant is refused, the second lands.
      await s.sandbox().admin.faults({ method: "POST", path: ASSIGN, count: 1, status: 403 });
      const failed = await s.stack().up({ allowFailure: true });
      assert.notEqual(failed.code, 0, failed.output);
      const [partial] = await entries("bob");
      assert.ok((partial.initErrors ?? []).length > 0, "precondition: the create was recorded as a partial failure");
      assert.deepEqual(ids(partial.inputs!.roles), ["Rl03", "Rl0J"], "a partial create is recorded with its own inputs");
      const heldNow = (await heldBy(SLACK, BOB)).map((k) => k.split("/")[2].split("@")[0]);
      assert.equal(heldNow.length, 1);

      await s.stack().refresh();
      const [refreshed] = await entries("bob");
      assert.deepEqual(refreshed.initErrors ?? [], [], "refresh clears initErrors");
      assert.deepEqual(ids(refreshed.inputs!.roles), heldNow, "and stores the inputs Read returned: what is held");

      const preview = await s.stack().previewJson("--diff");
      const step = preview.steps!.find((st) => st.urn.endsWith("::bob"))!;
      assert.equal(step.op, "update");
      assert.deepEqual(ids(step.oldState!.inputs!.roles), heldNow, "Diff, not initErrors, makes this update: the held roles …");
      assert.deepEqual(ids(step.newState!.inputs!.roles), ["Rl03", "Rl0J"], "… against the declared ones");
      await s.stack().up();
      assert.deepEqual(await heldBy(SLACK, BOB), sorted(["Rl03", "Rl0J"].map((r) => grantKey(SLACK, BOB, r, "T0PLATFORM"))));
      await s.stack().preview({}, "--expect-no-changes");
    });
  });

  describe("a failed Check", function () {
    this.timeout(600_000);

    it("fails up with the reasons, records nothing and writes nothing", async () => {
      const { workspaceId: _none, ...noWorkspace } = slack(SEED_IDS.slackenterprise.users.bob, "Rl03");
      void _none;
      await s.configure({ bad: noWorkspace });
      await s.sandbox().admin.clearRequests();
      const failed = await s.stack().up({ allowFailure: true });
      assert.notEqual(failed.code, 0, failed.output);
      assert.match(failed.output, /workspaceId/, failed.output);
      assert.equal((await s.stack().assignments()).size, 0);
      assert.deepEqual(await roleCalls(s.sandbox()), []);
    });
  });
});
