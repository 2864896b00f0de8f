/** examples/slack-enterprise under mocks: the workspace it needs, and a config-driven role change. */
import { strict as assert } from "node:assert";
import { checkInputs } from "../../src/provider/inputs";
import { SEED_IDS } from "../../src/sandbox";
import {
  assertChecks,
  assertInSeed,
  exampleDir,
  plainInputs,
  resourceNamed,
  ROLE_ASSIGNMENT_TYPE,
  ROOT,
  runExample,
} from "./example-support";

const DIR = exampleDir("slack-enterprise");

describe("examples/slack-enterprise", () => {
  it("registers Bob's Slack role in the Platform workspace", async () => {
    const run = await runExample(DIR);
    assert.equal(run.project, "truto-slack-enterprise");
    assert.deepEqual(
      run.resources.map((r) => [r.type, r.name]),
      [[ROLE_ASSIGNMENT_TYPE, "bob-platform"]],
    );
    const bob = resourceNamed(run, "bob-platform");
    assert.deepEqual(plainInputs(bob), {
      integratedAccountId: SEED_IDS.accounts.slackenterprise,
      integration: "slackenterprise",
      userId: SEED_IDS.slackenterprise.users.bob,
      workspaceId: SEED_IDS.slackenterprise.workspaces.platform,
      roles: [{ id: SEED_IDS.slackenterprise.roles.userAdmin }],
    });
    assertInSeed(bob);
    assertChecks(bob);
    assert.deepEqual(run.outputs.heldRoles, [{ id: "Rl03" }]);
  });

  it("shows the required workspaceId: without it the provider's check fails", async () => {
    const { workspaceId, ...withoutWorkspace } = resourceNamed(await runExample(DIR), "bob-platform").inputs;
    assert.equal(workspaceId, "T0PLATFORM");
    const failures = checkInputs(withoutWorkspace).failures;
    assert.ok(
      failures.some((f) => f.property === "workspaceId"),
      JSON.stringify(failures),
    );
  });

  it("changes the role from stack config", async () => {
    const run = await runExample(DIR, { role: SEED_IDS.slackenterprise.roles.securityAdmin, accountId: "acct-from-config" });
    const bob = resourceNamed(run, "bob-platform");
    assert.deepEqual(bob.inputs.roles, [{ id: "Rl0J" }]);
    assert.equal(bob.inputs.integratedAccountId, "acct-from-config");
  });

  it("runs after the access stack in one process: the conflict registry is reset between programs", async () => {
    // Both declare Bob's User Admin role in Platform under different names, which one program may not do.
    await runExample(ROOT);
    const run = await runExample(DIR);
    assert.equal(run.resources.length, 1);
  });
});
