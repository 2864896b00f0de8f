import { strict as assert } from "node:assert";
import { renderMarkdown, STEP_OPS, summarizePreview, type AccessReview } from "../../src/review";
import { assignmentStep, digestOf, jumpcloud, slack } from "../fixtures/preview/build";
import type { FixtureStep } from "../fixtures/preview/load";

const ADA = "U0A1ADA7";
const before = slack(ADA, [{ id: "Rl0A" }, { id: "Rl0J" }]);
const after = slack(ADA, [{ id: "Rl0A" }]);

function reviewOf(...steps: FixtureStep[]): { result: AccessReview; md: string } {
  const result = summarizePreview(digestOf(steps));
  return { result, md: renderMarkdown(result) };
}

const revokedIds = (result: AccessReview): string[] => result.sections.flatMap((s) => s.revoked.map((c) => c.role.id));
const grantedIds = (result: AccessReview): string[] => result.sections.flatMap((s) => s.granted.map((c) => c.role.id));

describe("review: step ops", () => {
  it("knows every step op of Pulumi's engine (pkg/resource/deploy/step.go StepOps)", () => {
    assert.deepEqual(Object.keys(STEP_OPS).sort(), [
      "create",
      "create-replacement",
      "delete",
      "delete-replaced",
      "diff",
      "discard",
      "discard-replaced",
      "extend-parameterize",
      "import",
      "import-replacement",
      "read",
      "read-replacement",
      "refresh",
      "remove-pending-replace",
      "replace",
      "same",
      "update",
    ]);
  });

  for (const op of ["read-discard", "frobnicate", "Delete"]) {
    it(`reports an op it does not know (${op}) loudly at the top instead of "no access changes"`, () => {
      const { result, md } = reviewOf(assignmentStep(op, "slack-ada", { old: before, new: after }));
      assert.equal(result.hasAccessChange, true);
      assert.equal(result.understood, false);
      assert.deepEqual(
        result.notUnderstood.map((n) => [n.resource, n.ops, n.reason]),
        [["slack-ada", [op], "unknown-op"]],
      );
      assert.ok(!md.includes("No access changes"), md);
      const lines = md.split("\n");
      assert.equal(lines[2], "**⚠ 1 assignment not understood**");
      assert.equal(lines[4], "#### ⚠ Not understood: check these by hand");
      assert.ok(
        md.includes(`- \`slack-ada\` (user \`${ADA}\` · Slack Enterprise): step \`${op}\` is not an operation this review knows`),
        md,
      );
    });
  }

  for (const op of ["same", "read", "refresh", "discard", "discard-replaced"]) {
    it(`treats ${op} as no change at the API`, () => {
      const { result } = reviewOf(assignmentStep(op, "slack-ada", { old: before, new: before }));
      assert.equal(result.hasAccessChange, false);
      assert.equal(result.understood, true);
    });
  }

  it("revokes the old roles of a managed assignment that a read (.get) replaces: the old one is deleted", () => {
    const read = assignmentStep("read-replacement", "slack-ada", { old: before, new: before });
    const replace = assignmentStep("replace", "slack-ada", { old: before, new: before });
    const { result } = reviewOf(read, replace);
    assert.deepEqual(revokedIds(result).sort(), ["Rl0A", "Rl0J"]);
    assert.deepEqual(grantedIds(result), []);
    assert.equal(result.understood, true);
  });

  it("shows a revoke an earlier up left pending (a delete-replaced beside a same, as --show-replacement-steps prints it)", () => {
    // The real CLI: a replaced assignment whose delete failed stays in state as a pending delete; the next
    // preview has no step for it without --show-replacement-steps, and a delete-replaced step with it.
    const current = slack("U02BEN", [{ id: "Rl0A" }]);
    const { result, md } = reviewOf(
      assignmentStep("same", "admin", { old: current, new: current }),
      assignmentStep("delete-replaced", "admin", { old: slack("U01ADA", [{ id: "Rl0J" }]) }),
    );
    assert.deepEqual(revokedIds(result), ["Rl0J"]);
    assert.deepEqual(grantedIds(result), []);
    assert.match(md, /Rl0J/);
  });

  it("lists an import as adopted without granting anything", () => {
    const { result, md } = reviewOf(
      assignmentStep("import", "jc-bob", { new: jumpcloud("64a1f0c2e4b0a1a1a1a1a002", [{ id: "administrator" }]) }),
    );
    assert.equal(result.hasAccessChange, false);
    assert.deepEqual(
      result.stateOnly.map((s) => [s.resource, s.kind, s.roles.map((r) => [r.id, r.privileged])]),
      [["jc-bob", "import", [["administrator", true]]]],
    );
    assert.ok(
      md.startsWith(
        "No access changes in this preview: no role is granted, revoked or replaced; 1 assignment is imported as it is (`jc-bob`)",
      ),
      md,
    );
  });

  it("revokes the old roles when an import replaces a managed assignment, and adopts the new one", () => {
    const old = slack(ADA, [{ id: "Rl0J" }]);
    const imported = slack(ADA, [{ id: "Rl0A" }]);
    const { result, md } = reviewOf(
      assignmentStep("import-replacement", "slack-ada", { old, new: imported }),
      assignmentStep("replace", "slack-ada", { old, new: imported }),
    );
    assert.deepEqual(revokedIds(result), ["Rl0J"]);
    assert.deepEqual(grantedIds(result), []);
    assert.deepEqual(
      result.stateOnly.map((s) => [s.kind, s.roles.map((r) => r.id)]),
      [["import", ["Rl0A"]]],
    );
    assert.ok(md.includes("#### Not changed at the API"), md);
  });

  it("says an assignment left over from an interrupted replacement only leaves the state (remove-pending-replace)", () => {
    const { result, md } = reviewOf(assignmentStep("remove-pending-replace", "slack-ada", { old: before }));
    assert.deepEqual(revokedIds(result), [], "an earlier run already deleted it");
    assert.deepEqual(
      result.stateOnly.map((s) => [s.resource, s.kind]),
      [["slack-ada", "forget"]],
    );
    assert.ok(md.includes("1 assignment leaves the state after an earlier, interrupted replacement deleted it (`slack-ada`)"), md);
  });

  it("does not guess at a step that should never carry a RoleAssignment, or a diff without its outcome", () => {
    const { result } = reviewOf(
      assignmentStep("extend-parameterize", "a", { old: before, new: after }),
      assignmentStep("diff", "b", { old: before, new: after }),
    );
    assert.deepEqual(
      result.notUnderstood.map((n) => [n.resource, n.reason]),
      [
        ["a", "unexpected-ops"],
        ["b", "unexpected-ops"],
      ],
    );
  });

  it("refuses a known op without the state it needs, and two changes to one resource it cannot order", () => {
    const { result, md } = reviewOf(
      assignmentStep("create", "no-state", {}),
      assignmentStep("create", "both", { new: after }),
      assignmentStep("delete", "both", { old: before }),
    );
    assert.deepEqual(
      result.notUnderstood.map((n) => [n.resource, n.ops, n.reason]),
      [
        ["both", ["create", "delete"], "unexpected-ops"],
        ["no-state", ["create"], "missing-state"],
      ],
    );
    assert.ok(md.includes("- `no-state`: step `create` carries no new state"), md);
    assert.ok(md.includes("steps `create` and `delete` together are not a combination this review knows"), md);
  });

  it("revokes the roles of a copy an earlier create-before-delete left pending deletion (a lone delete-replaced)", () => {
    const leftover = assignmentStep("delete-replaced", "slack-ada", { old: slack(ADA, [{ id: "Rl0J" }]) });
    const { result } = reviewOf(assignmentStep("same", "slack-ada", { old: after, new: after }), leftover);
    assert.deepEqual(revokedIds(result), ["Rl0J"]);
    assert.equal(result.understood, true);
  });

  it("revokes the roles of every state a destroy deletes under one URN", () => {
    const pending = slack(ADA, [{ id: "Rl0J" }]);
    const { result } = reviewOf(
      assignmentStep("delete", "slack-ada", { old: after }),
      assignmentStep("delete", "slack-ada", { old: pending }),
    );
    assert.deepEqual(revokedIds(result).sort(), ["Rl0A", "Rl0J"]);
  });

  it("counts unreadable values as not understood, but not values known only at up or secrets", () => {
    const unreadable = assignmentStep("create", "bad", { new: after });
    (unreadable.newState?.inputs as Record<string, unknown>).roles = "Rl0J";
    assert.equal(reviewOf(unreadable).result.understood, false);
    const unknown = assignmentStep("create", "later", { new: after });
    (unknown.newState?.inputs as Record<string, unknown>).roles = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.equal(reviewOf(unknown).result.understood, true);
  });
});
