/**
 * examples/access (the root stack): a team's access as data turned into RoleAssignments, run under mocks.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { readProjectFile } from "../../tools/engine/project-file";
import { SEED_IDS } from "../../src/sandbox";
import { assertChecks, assertInSeed, plainInputs, resourceNamed, ROLE_ASSIGNMENT_TYPE, ROOT, runExample } from "./example-support";

const NAMES = [
  "alice-elastic-production",
  "alice-jumpcloud",
  "alice-slack-platform",
  "bob-jumpcloud",
  "bob-slack-platform",
  "carol-elastic-staging",
  "carol-jumpcloud",
  "dan-elastic-production",
  "dan-elastic-staging",
  "dan-slack-sales",
];

describe("examples/access (root stack)", () => {
  it("is the root project's program: Pulumi.yaml names truto-access and points main at it", () => {
    const project = readProjectFile(ROOT);
    assert.equal(project.name, "truto-access");
    assert.equal(project.main, path.join(ROOT, "examples", "access", "index.ts"));
    assert.match(
      readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"),
      /runtime:\s*\n\s+name: nodejs\s*\n\s+options:\s*\n\s+typescript: true/,
    );
  });

  it("registers one RoleAssignment per person, app and scope", async () => {
    const run = await runExample(ROOT);
    assert.deepEqual(
      run.resources.map((r) => r.name),
      NAMES,
    );
    for (const r of run.resources) assert.equal(r.type, ROLE_ASSIGNMENT_TYPE);
  });

  it("turns the data into the inputs each integration needs", async () => {
    const run = await runExample(ROOT);
    assert.deepEqual(plainInputs(resourceNamed(run, "alice-slack-platform")), {
      integratedAccountId: SEED_IDS.accounts.slackenterprise,
      integration: "slackenterprise",
      userId: SEED_IDS.slackenterprise.users.alice,
      workspaceId: SEED_IDS.slackenterprise.workspaces.platform,
      roles: [
        { id: "Rl0A", name: "Channel Manager" },
        { id: "Rl02", name: "Role Admin" },
      ],
      onDelete: "restore",
    });
    assert.deepEqual(plainInputs(resourceNamed(run, "bob-jumpcloud")), {
      integratedAccountId: SEED_IDS.accounts.jumpcloud,
      integration: "jumpcloud",
      userId: SEED_IDS.jumpcloud.users.bob,
      roles: [
        { id: "read-only", name: "Read Only" },
        { id: "help-desk", name: "Help Desk" },
      ],
      onDelete: "restore",
    });
    assert.deepEqual(plainInputs(resourceNamed(run, "dan-elastic-staging")), {
      integratedAccountId: SEED_IDS.accounts.elasticcloud,
      integration: "elasticcloud",
      userId: SEED_IDS.elasticcloud.users.dan,
      organizations: [{ id: SEED_IDS.elasticcloud.organizations.staging }],
      roles: [{ id: "deployment-admin", name: "Admin" }],
      onDelete: "restore",
    });
  });

  it("defaults to the sandbox seed's ids, so it runs against the sandbox unchanged", async () => {
    const run = await runExample(ROOT);
    for (const r of run.resources) {
      assertInSeed(r);
      assertChecks(r);
    }
  });

  it("takes the integrated account ids from stack config", async () => {
    const slack = "0b4c2d1e-0000-4000-8000-00000000000a";
    const run = await runExample(ROOT, { slackAccountId: slack, jumpcloudAccountId: "j", elasticAccountId: "e" });
    const accounts = Object.fromEntries(run.resources.map((r) => [r.name, r.inputs.integratedAccountId]));
    assert.equal(accounts["bob-slack-platform"], slack);
    assert.equal(accounts["dan-slack-sales"], slack);
    assert.equal(accounts["carol-jumpcloud"], "j");
    assert.equal(accounts["alice-elastic-production"], "e");
  });

  it("changes only Bob's Slack roles when config bobSlackRole changes", async () => {
    const before = await runExample(ROOT);
    const after = await runExample(ROOT, { bobSlackRole: "Rl0J" });
    const changed = after.resources.filter((r, i) => JSON.stringify(plainInputs(r)) !== JSON.stringify(plainInputs(before.resources[i])));
    assert.deepEqual(
      changed.map((r) => r.name),
      ["bob-slack-platform"],
    );
    assert.deepEqual(resourceNamed(before, "bob-slack-platform").inputs.roles, [{ id: "Rl03", name: "User Admin" }]);
    assert.deepEqual(resourceNamed(after, "bob-slack-platform").inputs.roles, [{ id: "Rl0J", name: "Security Admin" }]);
  });

  it("refuses a bobSlackRole that is not a Slack role id, naming the config key", async () => {
    await assert.rejects(runExample(ROOT, { bobSlackRole: "admin" }), /truto-access:bobSlackRole must be a Slack role id .*not "admin"/);
  });

  it("exports who holds what, by resource", async () => {
    const run = await runExample(ROOT);
    const who = run.outputs.whoHoldsWhat as Record<string, string[]>;
    assert.deepEqual(Object.keys(who).sort(), NAMES);
    assert.deepEqual(who["alice-slack-platform"], ["Channel Manager", "Role Admin"]);
    assert.deepEqual(who["carol-elastic-staging"], ["Viewer", "Editor"]);
  });

  it("can run twice in one process (fresh module, conflict registry reset)", async () => {
    const first = await runExample(ROOT);
    const second = await runExample(ROOT);
    assert.equal(second.resources.length, first.resources.length);
  });
});
