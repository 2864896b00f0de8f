import { strict as assert } from "node:assert";
import { COMMENT_BUDGET, GITHUB_COMMENT_LIMIT, renderComment, renderMarkdown, summarizePreview } from "../../src/review";
import { largePreview } from "../fixtures/preview/build";
import { loadPreview } from "../fixtures/preview/load";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

describe("review: the pull-request comment", () => {
  const plan = { steps: 5000, privilegedGrants: 40, revokes: 60, unknownOps: 3 };
  const review = summarizePreview(largePreview(plan));
  const fullReport = { path: "access-review-full.md", url: "https://github.com/acme/access/actions/runs/42" };
  const comment = renderComment(review, { fullReport });

  it("keeps a 5,000-step review under GitHub's comment limit", () => {
    assert.ok(renderMarkdown(review).length > GITHUB_COMMENT_LIMIT, "the full review really is too large for one comment");
    assert.equal(comment.shortened, true);
    assert.ok(bytes(comment.markdown) <= COMMENT_BUDGET, `${bytes(comment.markdown)} bytes`);
    assert.ok(comment.markdown.length < GITHUB_COMMENT_LIMIT);
    assert.equal(comment.full, renderMarkdown(review));
  });

  it("keeps every privileged change, every revocation and every change it did not understand", () => {
    for (let i = 0; i < plan.privilegedGrants; i += 1) assert.ok(comment.markdown.includes(`(\`priv-${i}\`)`), `priv-${i}`);
    for (let i = plan.privilegedGrants; i < plan.privilegedGrants + plan.revokes; i += 1) {
      assert.ok(comment.markdown.includes(`revokes **Help Desk** (\`help-desk\`) — ⚠ privileged (\`rev-${i}\`)`), `rev-${i}`);
      assert.ok(comment.markdown.includes(`revokes **Read Only** (\`read-only\`) (\`rev-${i}\`)`), `rev-${i} read-only`);
    }
    for (const name of ["odd-100", "odd-101", "odd-102"]) assert.ok(comment.markdown.includes(`- \`${name}\``), name);
  });

  it("starts with the totals, says it was shortened and where the full review is", () => {
    const lines = comment.markdown.split("\n");
    assert.equal(lines[0], "### Access review");
    assert.ok(lines[2]?.startsWith("**⚠ 3 assignments not understood; 4,"), lines[2]);
    assert.ok(
      comment.markdown.includes(
        "the whole review is in `access-review-full.md` ([download it from the workflow run](https://github.com/acme/access/actions/runs/42))",
      ),
      comment.markdown.slice(0, 2000),
    );
    const order = [
      "#### ⚠ Not understood",
      "#### ⚠ Privileged and mislabelled roles (100)",
      "#### Other revocations (60)",
      "#### Summary per app",
      "#### Grants (4",
    ];
    const at = order.map((heading) => comment.markdown.indexOf(heading));
    assert.ok(at.every((i) => i > 0) && at.every((i, k) => k === 0 || i > (at[k - 1] ?? 0)), `${order.join(" < ")}: ${at.join(", ")}`);
  });

  it("sums up each app in a table", () => {
    assert.ok(comment.markdown.includes("| App | People | Granted | Revoked | Replacements | Privileged |"), comment.markdown);
    assert.match(comment.markdown, /\| Slack Enterprise \| 2,\d{3} \| 2,\d{3} \| 0 \| 0 \| 40 \|/);
    assert.match(comment.markdown, /\| JumpCloud \| 2,\d{3} \| 2,\d{3} \| 120 \| 0 \| 60 \|/);
  });

  it("says how many it left out when even the privileged changes do not fit", () => {
    const small = renderComment(review, { budget: 4000 });
    assert.ok(bytes(small.markdown) <= 4000, `${bytes(small.markdown)} bytes`);
    assert.match(small.markdown, /- … and \d+ more in the full review\./);
    assert.ok(small.markdown.includes("run `pulumi-truto-access review --full-report FILE`"), small.markdown);
  });

  it("is the full review when that fits", () => {
    const fixture = summarizePreview(loadPreview("update-roles.json"));
    const small = renderComment(fixture, { fullReport });
    assert.equal(small.shortened, false);
    assert.equal(small.markdown, renderMarkdown(fixture));
  });
});
