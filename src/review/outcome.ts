/**
 * From the text `pulumi preview --json` printed to what the CLI reports: the review of the preview with
 * the stack it is of, or, when the preview failed (nothing printed, an error printed instead of JSON, a
 * digest with error diagnostics or without steps), the failure with the errors it reported.
 */
import { parseDigest } from "./digest";
import { isReviewInputError, ReviewErrorCodes } from "./errors";
import { parsePreviewText } from "./parse-text";
import { previewErrors, printedOutput } from "./preview-errors";
import type { PreviewFailure, PreviewFailureReason } from "./render-failure";
import { stackRefOf, withOverrides, type StackRef } from "./stack-ref";
import { summarizePreview, type SummarizeOptions } from "./summarize";
import type { AccessReview } from "./types";

/** Options of {@link reviewPreviewText} and {@link reviewPreviewJson}. */
export interface OutcomeOptions extends SummarizeOptions {
  /** Project and stack that win over the URNs' (the CLI's `--project` and `--stack`). */
  readonly target?: StackRef;
  /** Values to redact from quoted errors besides anything token-shaped, e.g. the API tokens in the environment. */
  readonly secrets?: readonly (string | undefined)[];
}

/** A reviewed preview, or one that failed. */
export type PreviewOutcome =
  | { readonly kind: "review"; readonly target: StackRef; readonly review: AccessReview }
  | { readonly kind: "failed"; readonly failure: PreviewFailure };

/**
 * The outcome for the text read from `source` (a file name or "stdin"). Throws a ReviewInputError only
 * for JSON that is not a preview digest (another Pulumi format, a wrong shape): a usage mistake, not a
 * failed preview.
 */
export function reviewPreviewText(text: string, source: string, opts: OutcomeOptions = {}): PreviewOutcome {
  let json: unknown;
  try {
    json = parsePreviewText(text, source);
  } catch (err) {
    if (!isReviewInputError(err) || err.code !== ReviewErrorCodes.notJson) throw err;
    const output = printedOutput(text, opts.secrets);
    return failed(output === "" ? "empty" : "not-json", opts.target ?? {}, { output });
  }
  return reviewPreviewJson(json, opts);
}

/** The outcome for parsed `pulumi preview --json` output. */
export function reviewPreviewJson(json: unknown, opts: OutcomeOptions = {}): PreviewOutcome {
  // `{}` is what `pulumi preview --json` prints when it fails before the engine starts.
  if (typeof json === "object" && json !== null && !Array.isArray(json) && Object.keys(json).length === 0) {
    return failed("no-steps", opts.target ?? {});
  }
  const digest = parseDigest(json);
  const target = withOverrides(stackRefOf(digest), opts.target ?? {});
  const errorCount = digest.diagnostics.filter((d) => d.severity === "error").length;
  if (errorCount > 0 || digest.steps.length === 0) {
    return failed(errorCount > 0 ? "errors" : "no-steps", target, { errors: previewErrors(digest.diagnostics, opts.secrets), errorCount });
  }
  return { kind: "review", target, review: summarizePreview(json, opts) };
}

function failed(
  reason: PreviewFailureReason,
  target: StackRef,
  more: Partial<Pick<PreviewFailure, "errors" | "errorCount" | "output">> = {},
): PreviewOutcome {
  const { errors = [], errorCount = errors.length, output } = more;
  return { kind: "failed", failure: { reason, target, errors, errorCount, ...(output ? { output } : {}) } };
}
