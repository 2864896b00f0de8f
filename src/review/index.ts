/**
 * `pulumi-truto-access review`: turns `pulumi preview --json` output into a Markdown summary of who gains
 * or loses which role where, for a pull-request comment.
 */
export { summarizePreview, type SummarizeOptions } from "./summarize";
export { renderMarkdown, REVIEW_TITLE, reviewTitle, type MarkdownOptions } from "./render-markdown";
export { reviewPreviewJson, reviewPreviewText, type OutcomeOptions, type PreviewOutcome } from "./outcome";
export { FAILED_TITLE, renderFailure, type PreviewFailure, type PreviewFailureReason } from "./render-failure";
export { MAX_QUOTED_ERRORS, previewErrors, redactText, type PreviewError } from "./preview-errors";
export { MARKER_PREFIX, reviewMarker, stackRefOf, type StackRef } from "./stack-ref";
export { REVIEW_JSON_VERSION, reviewJson, type ReviewJson } from "./review-json";
export { COMMENT_BUDGET, GITHUB_COMMENT_LIMIT, renderComment, type CommentOptions, type ReviewComment } from "./render-comment";
export { parsePreviewText } from "./parse-text";
export { DEFAULT_PRIVILEGED } from "./privileged";
export { DEFAULT_EXPIRING_WITHIN_DAYS } from "./expiry";
export { ROLE_ASSIGNMENT_TYPE, STEP_OPS, type StepMeaning } from "./resource-changes";
export { EXPECTED_INPUT, isReviewInputError, ReviewErrorCodes, ReviewInputError, type ReviewErrorCode } from "./errors";
export { SECRET_VALUE, UNKNOWN_VALUE } from "./sentinels";
export type * from "./types";
