// What the access workflows post to GitHub, loaded by actions/github-script
// (`require("./.github/scripts/access-report.js")`, resolved from the checkout). Each post is found again by a
// hidden HTML comment on its first line, so a rerun updates it instead of adding another.
"use strict";

// GitHub refuses an issue or comment body over 65,536 characters; leave room for the heading.
const MAX_BODY = 60000;

// The line the review prints first: `<!-- pulumi-truto-access:review <project>/<stack> -->`.
const REVIEW_MARKER = /^<!-- pulumi-truto-access:review \S+ -->$/;

/** The marker that names the one issue of `kind` (drift, out-of-band, up-failed) for `stack`. */
function issueMarker(kind, stack) {
  return `<!-- pulumi-truto-access:issue ${kind} ${stack} -->`;
}

/** `text` cut to fit a body, saying so. */
function clip(text) {
  return text.length <= MAX_BODY ? text : `${text.slice(0, MAX_BODY)}\n\n… cut to ${MAX_BODY} characters; the run's log has the rest.`;
}

/** Only what this workflow wrote counts: anyone can paste the marker into a comment of their own. */
const byBot = (item) => item.user && item.user.type === "Bot";

/**
 * Posts `review` (the review command's output) as the pull request's one access-review comment: updates the
 * comment that starts with the same marker, or creates it. Returns "created" or "updated".
 */
async function postReview({ github, context, review }) {
  const marker = review.split("\n", 1)[0].trim();
  if (!REVIEW_MARKER.test(marker))
    throw new Error(`the review does not start with its marker line; it starts with: ${JSON.stringify(marker.slice(0, 80))}`);
  const where = { ...context.repo, issue_number: context.issue.number };
  const comments = await github.paginate(github.rest.issues.listComments, { ...where, per_page: 100 });
  const existing = comments.find((c) => byBot(c) && (c.body || "").split("\n", 1)[0].trim() === marker);
  if (existing) {
    await github.rest.issues.updateComment({ ...context.repo, comment_id: existing.id, body: review });
    return "updated";
  }
  await github.rest.issues.createComment({ ...where, body: review });
  return "created";
}

/**
 * Keeps one open issue for a kind of finding: with `findings` (Markdown), opens it or updates its body; without
 * (null), closes it with a comment saying the check came back clean. Returns what it did.
 */
async function syncIssue({ github, context, kind, stack, title, findings, runUrl }) {
  const marker = issueMarker(kind, stack);
  const open = await github.paginate(github.rest.issues.listForRepo, { ...context.repo, state: "open", per_page: 100 });
  // listForRepo also returns pull requests; they have a `pull_request` field.
  const existing = open.find((i) => !i.pull_request && byBot(i) && (i.body || "").startsWith(marker));
  if (findings === null) {
    if (!existing) return "none";
    await github.rest.issues.createComment({ ...context.repo, issue_number: existing.number, body: `Clean again in ${runUrl}; closing.` });
    await github.rest.issues.update({ ...context.repo, issue_number: existing.number, state: "closed", state_reason: "completed" });
    return "closed";
  }
  const body = `${marker}\n${clip(findings)}\n\nLast seen in ${runUrl}. This issue is updated by every run that finds this and closed by the first that does not.`;
  if (existing) {
    await github.rest.issues.update({ ...context.repo, issue_number: existing.number, body });
    return "updated";
  }
  await github.rest.issues.create({ ...context.repo, title, body });
  return "opened";
}

module.exports = { postReview, syncIssue, issueMarker, MAX_BODY };
