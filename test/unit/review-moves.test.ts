/**
 * The review reads a role one resource revokes and another grants to the same person in the same app as a
 * move (the provider keeps such a grant in place), and suggests `aliases` when two resources differ only
 * by their names.
 */
import { strict as assert } from "node:assert";
import { renderComment, renderMarkdown, summarizePreview } from "../../src/review";
import { assignmentStep, digestOf, jumpcloud, slack } from "../fixtures/preview/build";

const CAROL = "65a1c0ffee00000000000c03";

describe("review: moves", () => {
  it("reads a rename without aliases as a move with no change in access, and suggests aliases", () => {
    const roles = [{ id: "5f0c9a7e2b1d4c3a8e6f0b11", name: "Administrator" }];
    const review = summarizePreview(
      digestOf([
        assignmentStep("create", "alice-jumpcloud", { new: jumpcloud(CAROL, roles) }),
        assignmentStep("delete", "alice-jc", { old: jumpcloud(CAROL, roles) }),
      ]),
    );
    assert.deepEqual(review.sections, [], "neither a grant nor a revoke");
    assert.deepEqual(
      review.moves.map((m) => [m.role.id, m.from, m.to, m.sameAssignment]),
      [["5f0c9a7e2b1d4c3a8e6f0b11", "alice-jc", "alice-jumpcloud", true]],
    );
    assert.equal(review.totals.moves, 1);
    assert.equal(review.hasAccessChange, true, "a move is shown, not summed up as no change");
    const md = renderMarkdown(review);
    assert.match(md, /\*\*1 role moves between resources with no change in access\*\*/);
    assert.match(
      md,
      /moves from `alice-jc` to `alice-jumpcloud`: no change in access\. Only the name changed: `aliases: \[\{ name: "alice-jc" \}\]` on `alice-jumpcloud` keeps it one resource\./,
    );
    assert.match(
      renderComment(review, { budget: 400 }).markdown,
      /moves from `alice-jc` to `alice-jumpcloud`/,
      "a shortened comment keeps the moves",
    );
  });

  it("reads a role moved between two updated resources as a move, without suggesting aliases", () => {
    const review = summarizePreview(
      digestOf([
        assignmentStep("update", "ada-admin", {
          old: slack("U0A1ADA7", [{ id: "Rl0A" }, { id: "Rl03" }]),
          new: slack("U0A1ADA7", [{ id: "Rl0A" }]),
        }),
        assignmentStep("update", "ada-support", {
          old: slack("U0A1ADA7", [{ id: "Rl0C" }]),
          new: slack("U0A1ADA7", [{ id: "Rl0C" }, { id: "Rl03" }]),
        }),
      ]),
    );
    assert.deepEqual(
      review.moves.map((m) => [m.role.id, m.from, m.to, m.sameAssignment]),
      [["Rl03", "ada-admin", "ada-support", false]],
    );
    assert.equal(review.totals.granted + review.totals.revoked, 0);
    assert.doesNotMatch(renderMarkdown(review), /aliases/);
  });

  it("keeps a grant and a revoke that are not the same access: another person, or another workspace", () => {
    const review = summarizePreview(
      digestOf([
        assignmentStep("create", "bob", { new: slack("U0B2BOB", [{ id: "Rl03" }]) }),
        assignmentStep("delete", "ada", { old: slack("U0A1ADA7", [{ id: "Rl03" }]) }),
      ]),
    );
    assert.deepEqual(review.moves, []);
    assert.equal(review.totals.granted, 1);
    assert.equal(review.totals.revoked, 1);
  });

  it("pairs only what moves: the rest of a split assignment stays a grant or a revoke", () => {
    const review = summarizePreview(
      digestOf([
        assignmentStep("delete", "carol", { old: jumpcloud(CAROL, [{ id: "manager" }, { id: "help-desk" }]) }),
        assignmentStep("create", "carol-manager", { new: jumpcloud(CAROL, [{ id: "manager" }, { id: "read-only" }]) }),
      ]),
    );
    assert.deepEqual(
      review.moves.map((m) => `${m.role.id}:${m.from}>${m.to}:${m.sameAssignment}`),
      ["manager:carol>carol-manager:false"],
    );
    assert.deepEqual(
      review.sections.flatMap((s) => s.granted.map((c) => c.role.id)),
      ["read-only"],
    );
    assert.deepEqual(
      review.sections.flatMap((s) => s.revoked.map((c) => c.role.id)),
      ["help-desk"],
    );
  });
});
