/**
 * One error class for everything that can go wrong talking to Truto, with a stable string `code`
 * per kind (in the style of undici's `UND_ERR_*`), the request named, and no credential anywhere.
 */

/** Stable codes; guard on these, not on `instanceof` or message text. */
export const TrutoErrorCodes = {
  unauthorized: "TRUTO_UNAUTHORIZED",
  forbidden: "TRUTO_FORBIDDEN",
  notFound: "TRUTO_NOT_FOUND",
  validation: "TRUTO_VALIDATION",
  conflict: "TRUTO_CONFLICT",
  rateLimited: "TRUTO_RATE_LIMITED",
  remote: "TRUTO_REMOTE_ERROR",
  server: "TRUTO_SERVER_ERROR",
  timeout: "TRUTO_TIMEOUT",
  network: "TRUTO_NETWORK",
  badResponse: "TRUTO_BAD_RESPONSE",
  config: "TRUTO_CONFIG",
  integrationMismatch: "TRUTO_INTEGRATION_MISMATCH",
  partial: "TRUTO_PARTIAL_FAILURE",
  revokeNotConfirmed: "TRUTO_REVOKE_NOT_CONFIRMED",
  grantNotConfirmed: "TRUTO_GRANT_NOT_CONFIRMED",
} as const;

/** One of the values of {@link TrutoErrorCodes}. */
export type TrutoErrorCode = (typeof TrutoErrorCodes)[keyof typeof TrutoErrorCodes];

/** What is known about the HTTP exchange that failed. */
export interface TrutoRequestInfo {
  method?: string;
  /** Path without the query string (ids percent-encoded as sent). */
  path?: string;
  status?: number;
  integratedAccountId?: string;
}

/** Fields of an error that callers may rely on. */
export interface TrutoErrorDetails extends TrutoRequestInfo {
  /** Truto's `message`, redacted. */
  trutoMessage?: string;
  /** `truto_is_remote_error`: the vendor behind Truto answered this, not Truto itself. */
  remote?: boolean;
  /** Field names from `truto_error_insight.missing_required_*`. */
  missingQueryParameters?: string[];
  missingBodyFields?: string[];
  /** Milliseconds the server asked us to wait (429). */
  retryAfterMs?: number;
  /** How many attempts were made for the logical call. */
  attempts?: number;
  cause?: unknown;
}

const HINTS: Partial<Record<TrutoErrorCode, string>> = {
  TRUTO_UNAUTHORIZED:
    "Check that TRUTO_API_TOKEN (or the `truto:apiToken` stack config) is a valid Truto API token for this environment; if the vendor rejected it, reconnect the integrated account in Truto.",
  TRUTO_FORBIDDEN:
    "The token or the integrated account lacks permission for this call; check the account's scopes and role in Truto and in the vendor app.",
  TRUTO_RATE_LIMITED: "The rate limit did not clear within the retry budget; run again later or lower the parallelism (`pulumi up --parallel`).",
  TRUTO_TIMEOUT: "Truto did not answer in time; it is safe to run again (writes carry an idempotency key).",
  TRUTO_NETWORK: "Check the network and TRUTO_BASE_URL; it is safe to run again (writes carry an idempotency key).",
  TRUTO_SERVER_ERROR: "Truto or the vendor failed; it is safe to run again.",
  TRUTO_BAD_RESPONSE: "Truto answered with something this package does not understand; report it with the request named here.",
};

// Truto's own 404 (not the vendor's) is about the integrated account, not the user.
const ACCOUNT_NOT_VISIBLE =
  "Truto itself (not the vendor) found nothing: check integratedAccountId, and that the token belongs to the Truto environment that holds this integrated account.";

/** The one error class of this package. */
export class TrutoError extends Error {
  override readonly name = "TrutoError";
  readonly code: TrutoErrorCode;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly integratedAccountId?: string;
  readonly trutoMessage?: string;
  readonly remote: boolean;
  readonly missingQueryParameters: string[];
  readonly missingBodyFields: string[];
  readonly retryAfterMs?: number;
  readonly attempts?: number;

  constructor(code: TrutoErrorCode, summary: string, details: TrutoErrorDetails = {}) {
    super(composeMessage(code, summary, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.integratedAccountId = details.integratedAccountId;
    this.trutoMessage = details.trutoMessage;
    this.remote = details.remote ?? false;
    this.missingQueryParameters = details.missingQueryParameters ?? [];
    this.missingBodyFields = details.missingBodyFields ?? [];
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
  }
}

function composeMessage(code: TrutoErrorCode, summary: string, d: TrutoErrorDetails): string {
  const where = d.method && d.path ? `Truto ${d.method} ${d.path}` : "Truto";
  const account = d.integratedAccountId ? ` (integrated account ${d.integratedAccountId})` : "";
  const status = d.status ? ` answered ${d.status}` : "";
  // The code leads: the host passes only the message to Pulumi, and people search logs for it.
  const parts = [`[${code}] ${where}${account}${status}: ${summary}`];
  if (d.trutoMessage && !summary.includes(d.trutoMessage)) parts.push(`Truto says: "${d.trutoMessage}".`);
  if (d.missingQueryParameters?.length) parts.push(`Missing query parameters: ${d.missingQueryParameters.join(", ")}.`);
  if (d.missingBodyFields?.length) parts.push(`Missing body fields: ${d.missingBodyFields.join(", ")}.`);
  if (d.remote) parts.push("(The vendor behind Truto returned this error.)");
  if (d.attempts && d.attempts > 1) parts.push(`Gave up after ${d.attempts} attempts.`);
  const hint = code === TrutoErrorCodes.notFound && d.status === 404 && !d.remote ? ACCOUNT_NOT_VISIBLE : HINTS[code];
  if (hint && !summary.includes(hint)) parts.push(hint);
  return parts.join(" ");
}

/** Whether `e` is a TrutoError (or any error carrying one of our codes), optionally of `code`. */
export function isTrutoError(e: unknown, code?: TrutoErrorCode): e is TrutoError {
  if (typeof e !== "object" || e === null) return false;
  const c = (e as { code?: unknown }).code;
  if (typeof c !== "string" || !c.startsWith("TRUTO_")) return false;
  return code === undefined || c === code;
}

/** The error code for an HTTP status, given whether the vendor (not Truto) produced it. */
export function codeForStatus(status: number, remote: boolean, hasMissingFields: boolean): TrutoErrorCode {
  if (status === 401) return TrutoErrorCodes.unauthorized;
  if (status === 403 || status === 405) return TrutoErrorCodes.forbidden;
  if (status === 404) return TrutoErrorCodes.notFound;
  if (status === 409) return TrutoErrorCodes.conflict;
  if (status === 429) return TrutoErrorCodes.rateLimited;
  if (status >= 500) return TrutoErrorCodes.server;
  if (hasMissingFields) return TrutoErrorCodes.validation;
  return remote ? TrutoErrorCodes.remote : TrutoErrorCodes.validation;
}

/**
 * Removes every occurrence of the given secrets from `text`. Error messages quote Truto and vendors,
 * which could echo a header back; this is the last line of defence before anything is printed.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  }
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]");
}
