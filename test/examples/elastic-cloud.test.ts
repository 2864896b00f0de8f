/** examples/elastic-cloud under mocks: the organizations it needs, and a config-driven role change. */
import { strict as assert } from "node:assert";
import { checkInputs } from "../../src/provider/inputs";
import { SEED_IDS } from "../../src/sandbox";
import { assertChecks, assertInSeed, exampleDir, plainInputs, resourceNamed, ROLE_ASSIGNMENT_TYPE, runExample } from "./example-support";

const DIR = exampleDir("elastic-cloud");

describe("examples/elastic-cloud", () => {
  it("registers Dan's role in the Acme Production organization", async () => {
    const run = await runExample(DIR);
    assert.equal(run.project, "truto-elastic-cloud");
    assert.deepEqual(
      run.resources.map((r) => [r.type, r.name]),
      [[ROLE_ASSIGNMENT_TYPE, "dan-production"]],
    );
    const dan = resourceNamed(run, "dan-production");
    assert.deepEqual(plainInputs(dan), {
      integratedAccountId: SEED_IDS.accounts.elasticcloud,
      integration: "elasticcloud",
      userId: SEED_IDS.elasticcloud.users.dan,
      organizations: [{ id: SEED_IDS.elasticcloud.organizations.production, name: "Acme Production" }],
      roles: [{ id: "deployment-viewer" }],
    });
    assertInSeed(dan);
    assertChecks(dan);
  });

  it("shows the required organizations: without them the provider's check fails", async () => {
    const { organizations, ...withoutOrganizations } = resourceNamed(await runExample(DIR), "dan-production").inputs;
    assert.ok(Array.isArray(organizations));
    const failures = checkInputs(withoutOrganizations).failures;
    assert.ok(
      failures.some((f) => f.property === "organizations"),
      JSON.stringify(failures),
    );
  });

  it("changes the role from stack config", async () => {
    const dan = resourceNamed(await runExample(DIR, { role: SEED_IDS.elasticcloud.roles.deploymentEditor }), "dan-production");
    assert.deepEqual(dan.inputs.roles, [{ id: "deployment-editor" }]);
    assertInSeed(dan);
  });
});
