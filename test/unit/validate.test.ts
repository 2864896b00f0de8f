/**
 * `validate()`, the package's `check` for a program's own unit tests: the same failures `pulumi preview` shows,
 * for plain arguments, without a provider host.
 */
import { strict as assert } from "node:assert";
import { validate } from "../../src";
import { SEED_IDS } from "../../src/sandbox";

const slack = { integratedAccountId: SEED_IDS.accounts.slackenterprise, integration: "slackenterprise", userId: "U01ALICE", roles: [{ id: "Rl0A" }] };

describe("validate()", () => {
  it("passes arguments check accepts", () => {
    assert.deepEqual(validate({ ...slack, workspaceId: "T0PLATFORM" }), { ok: true, failures: [] });
  });

  it("names each property check refuses, with what to do, all at once", () => {
    const result = validate({ ...slack, roles: [{ id: "Rl0A", nmae: "Channel Manager" }] });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["roles[0].nmae"],
    );
    assert.match(result.failures[0].reason, /did you mean "name"/);
    const missing = validate(slack);
    assert.deepEqual(missing.failures.map((f) => f.property), ["workspaceId"]);
    assert.match(missing.failures[0].reason, /Slack Enterprise needs workspaceId/);
  });

  it("refuses a deadline already past, as check does for a role being added", () => {
    const result = validate({ ...slack, workspaceId: "T0PLATFORM", roles: [{ id: "Rl0A", expiresAt: "2020-01-01T00:00:00Z" }] });
    assert.deepEqual(result.failures.map((f) => f.property), ["roles[0].expiresAt"]);
  });
});
