/**
 * The placement table against Truto's own description of a method (the meta endpoint's JSON Schemas):
 * what counts as a disagreement, and what does not.
 */
import { strict as assert } from "node:assert";
import { placementProblems, type MethodDescription } from "../../src/integrations/placement-check";
import { RULES } from "../../src/integrations/rules";

const place = (properties: string[], required: string[] = []) => ({ properties, required });

describe("placement check against Truto's meta description", () => {
  it("agrees with a description of unassign-role that matches the seed page (Slack Enterprise: all in the query)", () => {
    const meta: MethodDescription = { query: place(["id", "roles", "workspace_id"], ["id", "roles", "workspace_id"]), body: place([]) };
    assert.deepEqual(placementProblems(RULES.slackenterprise, "unassign-role", meta), []);
  });

  it("flags a field the table sends only in the query that Truto's schema has only in the body, naming both and the row", () => {
    const meta: MethodDescription = { query: place(["id", "workspace_id"]), body: place(["roles"], ["roles"]) };
    const problems = placementProblems(RULES.slackenterprise, "unassign-role", meta);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(
      problems[0],
      /^`roles`: the placement table's slackenterprise row \(src\/integrations\/rules\.ts\) sends it in the query string, but Truto's unassign-role schema has it only in the request body$/,
    );
    assert.match(
      problems[1],
      /^`roles`: Truto's unassign-role schema requires it in the request body, but the placement table's slackenterprise row .* sends it only in the query string$/,
    );
  });

  it("flags the other way round: a field sent only in the body that Truto has only in the query (JumpCloud's roles)", () => {
    const meta: MethodDescription = { query: place(["id", "roles"]), body: place(["id"]) };
    const problems = placementProblems(RULES.jumpcloud, "unassign-role", meta);
    assert.deepEqual(problems.length, 1);
    assert.match(
      problems[0],
      /^`roles`: .* sends it in the request body, but Truto's unassign-role schema has it only in the query string$/,
    );
  });

  it("flags a field Truto requires that the table never sends", () => {
    const meta: MethodDescription = { query: place(["id"], ["id"]), body: place(["roles", "organizations"], ["roles"]) };
    const problems = placementProblems(RULES.elasticcloud, "unassign-role", meta);
    assert.deepEqual(problems, [
      "`roles`: Truto's unassign-role schema requires it in the request body, but the placement table's elasticcloud row (src/integrations/rules.ts) never sends it",
    ]);
  });

  it("never flags a field sent in both places (assign-role), nor Truto's own parameters", () => {
    const meta: MethodDescription = {
      query: place(["integrated_account_id", "roles"], ["integrated_account_id"]),
      body: place(["id", "roles", "workspace_id"], ["id", "roles"]),
    };
    assert.deepEqual(placementProblems(RULES.slackenterprise, "assign-role", meta), []);
  });

  it("lets the table stand where Truto describes neither place, or leaves a field out of both", () => {
    assert.deepEqual(placementProblems(RULES.jumpcloud, "unassign-role", {}), []);
    assert.deepEqual(placementProblems(RULES.jumpcloud, "unassign-role", { query: place([]), body: place(["id"]) }), []);
  });
});
