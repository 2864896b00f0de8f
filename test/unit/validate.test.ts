/**
 * `validate()`, the package's `check` for a program's own unit tests: the same failures `pulumi preview` shows,
 * for plain arguments, without a provider host.
 */
import { strict as assert } from "node:assert";
import { validate } from "../../src";
import { SEED_IDS } from "../../src/sandbox";

const slack = {
  integratedAccountId: SEED_IDS.accounts.slackenterprise,
  integration: "slackenterprise",
  userId: "U01ALICE",
  roles: [{ id: "Rl0A" }],
};

describe("validate()", () => {
  it("passes arguments check accepts", () => {
    assert.deepEqual(validate({ ...slack, workspaceId: "T0PLATFORM" }), { ok: true, failures: [] });
  });

  it("names each property check refuses, with what to do, all at once", () => {
    const result = validate({ ...slack, roles: [{ id: "Rl0A", nmae: "Channel Manager" }] });
    assert.equal(result.ok, false);
    // The typo in a role and the missing workspace come out together, not one run after the other.
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["roles[0].nmae", "workspaceId"],
    );
    assert.match(result.failures[0].reason, /did you mean "name"/);
    const missing = validate(slack);
    assert.deepEqual(
      missing.failures.map((f) => f.property),
      ["workspaceId"],
    );
    assert.match(missing.failures[0].reason, /Slack Enterprise needs workspaceId/);
  });

  it("reports a structural failure and a cross-field one together (a typo'd key does not hide a typo'd integration)", () => {
    const result = validate({
      integratedAccountId: SEED_IDS.accounts.jumpcloud,
      integration: "jumpclod",
      userId: "u",
      roles: [{ id: "manager", nmae: "Manager" }],
    });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["roles[0].nmae", "integration"],
    );
    assert.match(result.failures[1].reason, /did you mean "jumpcloud"/);
  });

  it("says in its own words what is wrong, without repeating the property name or quoting zod", () => {
    const result = validate({ integration: "jumpcloud", userId: 7, roles: ["manager"] });
    assert.deepEqual(result.failures, [
      { property: "integratedAccountId", reason: "required: the integrated account's UUID, as shown in Truto." },
      { property: "userId", reason: "must be a string: the user's id in the app, not 7." },
      { property: "roles[0]", reason: 'each role must be an object such as { id: "Rl0A" }, not "manager".' },
    ]);
    for (const f of result.failures) assert.doesNotMatch(f.reason, /Invalid input|expected .*, received/);
  });

  it("refuses a deadline already past, as check does for a role being added", () => {
    const result = validate({ ...slack, workspaceId: "T0PLATFORM", roles: [{ id: "Rl0A", expiresAt: "2020-01-01T00:00:00Z" }] });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["roles[0].expiresAt"],
    );
  });
});
