/**
 * The error the review raises for input it cannot summarize, so the CLI can print one clear sentence
 * (what was expected, what came instead, what to do) instead of a stack trace.
 */

/** Stable codes of {@link ReviewInputError}; guard on these, not on the message text. */
export const ReviewErrorCodes = {
  /** The text is empty or not JSON at all. */
  notJson: "REVIEW_NOT_JSON",
  /** JSON, but another Pulumi format (streaming engine events, `--output json` summary). */
  wrongFormat: "REVIEW_WRONG_FORMAT",
  /** Looks like a preview digest, but a field has the wrong shape. */
  badShape: "REVIEW_BAD_SHAPE",
  /** A digest with no steps because the preview itself failed. */
  previewFailed: "REVIEW_PREVIEW_FAILED",
} as const;

/** One of the values of {@link ReviewErrorCodes}. */
export type ReviewErrorCode = (typeof ReviewErrorCodes)[keyof typeof ReviewErrorCodes];

/** What the review expected, said once so every message names it the same way. */
export const EXPECTED_INPUT = "expected the JSON printed by `pulumi preview --json`";

/** Input that is not a usable `pulumi preview --json` document. */
export class ReviewInputError extends Error {
  override readonly name = "ReviewInputError";
  readonly code: ReviewErrorCode;

  constructor(code: ReviewErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Whether `err` is a {@link ReviewInputError}, checked by its code so copies from other module instances count. */
export function isReviewInputError(err: unknown): err is ReviewInputError {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (Object.values(ReviewErrorCodes) as string[]).includes(code);
}
