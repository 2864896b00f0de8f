/**
 * Every example through the real Pulumi CLI against its own sandbox: `up`, a second preview that must
 * show no changes, a role change through stack config (`preview --json --diff`, reviewed, then `up`),
 * `refresh --expect-no-changes`, and `destroy`. At every step the sandbox must hold exactly the access
 * the stack declares (plus the seed's access nobody declared), and after destroy exactly the seed's access.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { declaredGrants, grantKey, minus, reviewedChanges, scenarioSandbox, sorted, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiStack, PulumiWorkspace, REPO_ROOT, ROLE_ASSIGNMENT_TYPE } from "../support/pulumi-cli";

const SLACK = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01";
const JUMPCLOUD = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02";
const ELASTIC = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03";

interface ExampleCase {
  dir: string;
  assignments: number;
  change: { key: string; value: string };
  /** Grants the stack must hold after the first `up` and after the change (checked by key, independent of state). */
  first: string[];
  changed: string[];
}

const CASES: ExampleCase[] = [
  {
    dir: "jumpcloud",
    assignments: 1,
    change: { key: "secondRole", value: "help-desk" },
    first: [grantKey(JUMPCLOUD, "64a1f0c2e4b0a1a1a1a1a003", "manager")],
    changed: [grantKey(JUMPCLOUD, "64a1f0c2e4b0a1a1a1a1a003", "manager"), grantKey(JUMPCLOUD, "64a1f0c2e4b0a1a1a1a1a003", "help-desk")],
  },
  {
    dir: "slack-enterprise",
    assignments: 1,
    change: { key: "role", value: "Rl0J" },
    first: [grantKey(SLACK, "U02BOB", "Rl03", "T0PLATFORM")],
    changed: [grantKey(SLACK, "U02BOB", "Rl0J", "T0PLATFORM")],
  },
  {
    dir: "elastic-cloud",
    assignments: 1,
    change: { key: "role", value: "deployment-editor" },
    first: [grantKey(ELASTIC, "1183940204", "deployment-viewer", "4201839311")],
    changed: [grantKey(ELASTIC, "1183940204", "deployment-editor", "4201839311")],
  },
  {
    dir: "access",
    assignments: 10,
    change: { key: "bobSlackRole", value: "Rl0J" },
    first: [grantKey(SLACK, "U02BOB", "Rl03", "T0PLATFORM"), grantKey(JUMPCLOUD, "64a1f0c2e4b0a1a1a1a1a001", "administrator")],
    changed: [grantKey(SLACK, "U02BOB", "Rl0J", "T0PLATFORM"), grantKey(JUMPCLOUD, "64a1f0c2e4b0a1a1a1a1a001", "administrator")],
  },
];

describeWithPulumi("e2e: the examples through the real Pulumi CLI", (pulumi) => {
  let workspace: PulumiWorkspace;
  before(async function () {
    this.timeout(30_000);
    workspace = await PulumiWorkspace.create(pulumi);
  });
  after(() => workspace?.dispose());

  for (const c of CASES) {
    describe(`examples/${c.dir}`, function () {
      this.timeout(600_000);
      let sandbox: ScenarioSandbox;
      let stack: PulumiStack;
      let seed: Set<string>;
      const declaredEver = new Set<string>();

      /** The sandbox holds the seed's undeclared access plus exactly what state declares now. */
      async function assertExactAccess(step: string, mustHold: string[]): Promise<Set<string>> {
        const assignments = await stack.assignments();
        const declared = declaredGrants(assignments.values());
        for (const k of declared) declaredEver.add(k);
        const held = await sandbox.held();
        const expected = new Set([...minus(seed, declaredEver), ...declared]);
        assert.deepEqual(sorted(held), sorted(expected), `${step}: the sandbox's access differs from what the stack declares`);
        for (const k of mustHold) assert.ok(held.has(k), `${step}: ${k} is not held`);
        return declared;
      }

      before(async () => {
        sandbox = await scenarioSandbox();
        seed = await sandbox.held();
        const dir = await workspace.project(path.join(REPO_ROOT, "examples", c.dir));
        stack = await PulumiStack.init(workspace, dir, sandbox.env());
      });
      after(async () => {
        await stack?.remove();
        await sandbox?.close();
      });

      it("up grants exactly the declared roles, and a second preview shows no changes", async () => {
        await stack.up();
        const assignments = await stack.assignments();
        assert.equal(assignments.size, c.assignments, "RoleAssignments in state");
        await assertExactAccess("after up", c.first);
        await stack.preview({}, "--expect-no-changes");
      });

      it("a role change through stack config previews as an update the review names, then applies", async () => {
        await stack.setConfig(c.change.key, c.change.value);
        const before = await sandbox.held();
        const preview = await stack.previewJson("--diff");
        const ops = (preview.steps ?? []).filter((s) => s.urn.includes(`${ROLE_ASSIGNMENT_TYPE}::`) && s.op !== "same").map((s) => s.op);
        assert.deepEqual(ops, ["update"], `the change is one in-place update, not ${JSON.stringify(ops)}`);
        const reviewed = reviewedChanges(preview);

        await stack.up();
        const after = await sandbox.held();
        await assertExactAccess("after the change", c.changed);
        assert.deepEqual(reviewed.granted, minus(after, before), "the review's grants are what the sandbox gained");
        assert.deepEqual(reviewed.revoked, minus(before, after), "the review's revokes are what the sandbox lost");
        await stack.preview({}, "--expect-no-changes");
      });

      it("refresh finds no drift", async () => {
        await stack.refresh({}, "--expect-no-changes");
        await assertExactAccess("after refresh", c.changed);
      });

      it("destroy revokes every role the stack granted and leaves the access people held before it", async () => {
        await stack.destroy();
        assert.equal((await stack.assignments()).size, 0, "nothing left in state");
        const held = await sandbox.held();
        assert.deepEqual(
          minus(
            [...declaredEver].filter((k) => held.has(k)),
            seed,
          ),
          [],
          "roles the stack granted still held after destroy",
        );
        // The access example says onDelete "restore"; the others declare no role anyone held before.
        assert.deepEqual(sorted(held), sorted(seed), "the access that existed before the stack is exactly what is left");
      });
    });
  }
});
