/**
 * A Truto error response as a TrutoError: the code from the status and who answered (Truto or the vendor behind
 * it, `truto_is_remote_error`), Truto's message, and the fields `truto_error_insight` names. The envelope is
 * Truto's documented one (truto-api-notes.md, "Errors": `statusCode`, `error`, `message`).
 */
import { TrutoError, codeForStatus } from "./errors";
import { WireErrorBody, type WireErrorBodyT } from "./wire";

/** The request an error names, and how many attempts it took. */
export interface NamedRequest {
  method: string;
  path: string;
  integratedAccountId?: string;
  attempts: number;
}

// What each code says first; Truto's own message follows it.
const SUMMARIES: Partial<Record<string, string>> = {
  TRUTO_UNAUTHORIZED: "the API token was not accepted.",
  TRUTO_FORBIDDEN: "this call is not allowed.",
  TRUTO_NOT_FOUND: "not found.",
  TRUTO_VALIDATION: "the request was rejected as invalid.",
  TRUTO_CONFLICT: "the vendor reported a conflict.",
  TRUTO_RATE_LIMITED: "rate limited.",
  TRUTO_REMOTE_ERROR: "the vendor rejected the request.",
  TRUTO_SERVER_ERROR: "the server failed.",
  TRUTO_ACCOUNT_BLOCKED: "the integrated account is blocked.",
  TRUTO_SANDBOX_ACCOUNT:
    "the integrated account is a Truto sandbox account, which accepts no writes; use the integratedAccountId of a production connection.",
};

/** The TrutoError for an HTTP error answer `status` with body `text`. */
export function errorFromResponse(status: number, text: string, retryAfterMs: number | undefined, named: NamedRequest): TrutoError {
  let body: WireErrorBodyT = {};
  try {
    const parsed = WireErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone tells the kind.
  }
  // Whole, not cut: TrutoError redacts the token first and only then bounds what it quotes.
  const trutoMessage = typeof body.message === "string" ? body.message : (body.error ?? (text || undefined));
  const missingQuery = body.truto_error_insight?.missing_required_query_parameters?.value ?? [];
  const missingBody = body.truto_error_insight?.missing_required_body_fields?.value ?? [];
  const remote = body.truto_is_remote_error === true;
  const code = codeForStatus(status, remote, missingQuery.length + missingBody.length > 0);
  return new TrutoError(code, SUMMARIES[code] ?? "the request failed.", {
    ...named,
    status,
    trutoMessage,
    remote,
    missingQueryParameters: missingQuery,
    missingBodyFields: missingBody,
    retryAfterMs,
  });
}
