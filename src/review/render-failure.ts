/**
 * The comment for a preview that failed: the marker, the stack, and the errors the preview reported or
 * the text the CLI printed instead of JSON, so the pull request shows why there is no access review.
 */
import { code, count } from "./markdown-text";
import type { PreviewError } from "./preview-errors";
import { reviewMarker, stackRefText, type StackRef } from "./stack-ref";

/** Why there is no review. */
export type PreviewFailureReason = "empty" | "not-json" | "no-steps" | "errors";

/** A preview that cannot be reviewed, and everything it said about why. */
export interface PreviewFailure {
  readonly reason: PreviewFailureReason;
  readonly target: StackRef;
  /** The preview's error diagnostics (reason `errors`, sometimes `no-steps`). */
  readonly errors: readonly PreviewError[];
  /** How many error diagnostics there were, quoted or not. */
  readonly errorCount: number;
  /** For `not-json`: the end of what was read instead, redacted. */
  readonly output?: string;
}

/** The first line of a failed preview's comment after the marker. */
export const FAILED_TITLE = "### Access review: ⚠ the preview failed";

const WHY: Record<PreviewFailureReason, string> = {
  empty: "`pulumi preview --json` printed nothing",
  "not-json": "`pulumi preview --json` printed an error instead of its JSON",
  "no-steps": "`pulumi preview --json` planned no step",
  errors: "`pulumi preview` reported errors",
};

/** The Markdown comment for `failure`, marker first, without a trailing newline. */
export function renderFailure(failure: PreviewFailure): string {
  const where = stackRefText(failure.target);
  const lines = [
    reviewMarker(failure.target),
    FAILED_TITLE,
    "",
    `${where ? `**Stack ${code(where)}:** ` : ""}${WHY[failure.reason]}, so the access changes of this pull request cannot be reviewed. ` +
      "Fix the errors and push again; this comment is updated with the review.",
    "",
  ];
  if (failure.errors.length > 0) {
    lines.push(`#### ${failure.errorCount === 1 ? "Error" : `Errors (${failure.errorCount})`}`, "");
    for (const error of failure.errors) {
      lines.push(`- ${error.resource ? `${code(error.resource)}:` : "The preview:"}`, "", ...fenced(error.message, "  "), "");
    }
    if (failure.errorCount > failure.errors.length)
      lines.push(`_… and ${count(failure.errorCount - failure.errors.length, "more error")} in the preview's output._`, "");
  } else if (failure.output) {
    lines.push("#### What it printed", "", ...fenced(failure.output, ""), "");
  } else {
    lines.push("_No error text reached the review: read the preview step's log._", "");
  }
  return lines.join("\n").trimEnd();
}

// A fence longer than any run of backticks inside, so the text cannot end the block early.
function fenced(text: string, indent: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return [`${indent}${fence}text`, ...text.split("\n").map((l) => `${indent}${l}`), `${indent}${fence}`];
}
