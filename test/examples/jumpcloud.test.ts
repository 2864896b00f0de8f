/** examples/jumpcloud under mocks: no scope needed, and a second role from stack config. */
import { strict as assert } from "node:assert";
import { SEED_IDS } from "../../src/sandbox";
import { assertChecks, assertInSeed, exampleDir, plainInputs, resourceNamed, ROLE_ASSIGNMENT_TYPE, runExample } from "./example-support";

const DIR = exampleDir("jumpcloud");

describe("examples/jumpcloud", () => {
  it("registers Carol as a JumpCloud Manager", async () => {
    const run = await runExample(DIR);
    assert.equal(run.project, "truto-jumpcloud");
    assert.deepEqual(
      run.resources.map((r) => [r.type, r.name]),
      [[ROLE_ASSIGNMENT_TYPE, "carol-jumpcloud"]],
    );
    const carol = resourceNamed(run, "carol-jumpcloud");
    assert.deepEqual(plainInputs(carol), {
      integratedAccountId: SEED_IDS.accounts.jumpcloud,
      integration: "jumpcloud",
      userId: SEED_IDS.jumpcloud.users.carol,
      roles: [{ id: "manager", name: "Manager" }],
    });
    assertInSeed(carol);
    assertChecks(carol);
  });

  it("adds a second role from config secondRole", async () => {
    const carol = resourceNamed(await runExample(DIR, { secondRole: SEED_IDS.jumpcloud.roles.helpDesk }), "carol-jumpcloud");
    assert.deepEqual(carol.inputs.roles, [{ id: "manager", name: "Manager" }, { id: "help-desk" }]);
    assertInSeed(carol);
    assertChecks(carol);
  });
});
