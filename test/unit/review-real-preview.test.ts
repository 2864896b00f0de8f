/**
 * The review tool on `pulumi preview --json` as the real CLI prints it (test/fixtures/preview/real, written
 * by `npm run fixtures:preview`; test/e2e/preview-fixtures.test.ts keeps them current). The preview holds
 * an update, a create, a delete, a replacement of each order and a userId unknown until apply.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { renderMarkdown, summarizePreview, type AccessReview } from "../../src/review";

const DIR = path.join(__dirname, "..", "fixtures", "preview", "real");
const load = (name: string): unknown => JSON.parse(readFileSync(path.join(DIR, `${name}.json`), "utf8"));

/** Each section as "user integration: +granted -revoked [replacement orders]". */
function lines(review: AccessReview): string[] {
  return review.sections
    .map((s) => {
      const granted = s.granted.map((g) => `+${g.role.id}`);
      const revoked = s.revoked.map((r) => `-${r.role.id}`);
      const orders = s.replacements.map((r) => `[${r.order}]`);
      return [`${s.person.userId} ${s.app.integration}:`, ...granted, ...revoked, ...orders].join(" ");
    })
    .sort();
}

describe("review of real preview JSON (Pulumi CLI)", () => {
  const expected = [
    "1183940204 elasticcloud: +deployment-viewer -deployment-viewer [delete-before-create]",
    "64a1f0c2e4b0a1a1a1a1a001 jumpcloud: +help-desk",
    "64a1f0c2e4b0a1a1a1a1a003 jumpcloud: -manager",
    "64a1f0c2e4b0a1a1a1a1a005 jumpcloud: +read-only",
    "U02BOB slackenterprise: -Rl03 [create-before-delete]",
    "U03CAROL slackenterprise: +Rl03 [create-before-delete]",
  ];

  for (const name of ["plain", "diff", "replacement-steps", "sames"]) {
    it(`${name}: names every grant, revoke and replacement, and the assignment known only at apply`, () => {
      const review = summarizePreview(load(name));
      assert.deepEqual(lines(review), expected);
      assert.deepEqual(
        review.unresolved.map((u) => u.resource),
        ["dan-jumpcloud"],
        "the assignment whose userId comes from another resource is reported as unknown",
      );
      assert.equal(review.totals.notUnderstood, 0, "every step of the real CLI is understood");
    });
  }

  it("reads the same with and without --show-replacement-steps", () => {
    assert.equal(renderMarkdown(summarizePreview(load("replacement-steps"))), renderMarkdown(summarizePreview(load("plain"))));
  });

  it("the Elastic replacement revokes in the old organization and grants in both", () => {
    const dan = summarizePreview(load("plain")).sections.find((s) => s.person.userId === "1183940204")!;
    assert.deepEqual(
      (dan.revoked[0].role.organizations ?? []).map((o) => o.id),
      ["4201839311"],
    );
    assert.deepEqual((dan.granted[0].role.organizations ?? []).map((o) => o.id).sort(), ["4201839311", "4201839312"]);
  });
});
