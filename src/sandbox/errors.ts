import { STATUS_CODES } from "node:http";

/** The three fields every Truto error body has, plus whatever insight or remote detail applies. */
export interface TrutoErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/** An error that already knows the HTTP answer it becomes; thrown by routes, sent by the server. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: TrutoErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "SandboxHttpError";
  }
}

/** The canonical reason phrase Truto puts in `error` (e.g. 404 → "Not Found"). */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}

/** A plain Truto error (validation, auth, routing): exactly statusCode, error and message. */
export function trutoError(status: number, message: string, headers?: Record<string, string>): SandboxHttpError {
  return new SandboxHttpError(status, { statusCode: status, error: reasonPhrase(status), message }, headers);
}

/** Which required fields are missing, split by where the docs say they belong. */
export interface MissingFields {
  query: string[];
  body: string[];
}

const PLACEMENT_HINT = "Fields sent elsewhere (query instead of body or the other way round) do not count.";

/**
 * Truto's 400 for missing required unified fields, with `truto_error_insight` naming each one.
 * `hint` ends the message; by default it warns that a field in the wrong place does not count.
 */
export function missingFieldsError(method: string, integration: string, missing: MissingFields, hint = PLACEMENT_HINT): SandboxHttpError {
  const insight: Record<string, { description: string; value: string[] }> = {};
  const parts: string[] = [];
  if (missing.query.length > 0) {
    insight.missing_required_query_parameters = {
      description: "These query parameters are required for this integration but were not in the query string.",
      value: missing.query,
    };
    parts.push(`query parameters ${missing.query.join(", ")}`);
  }
  if (missing.body.length > 0) {
    insight.missing_required_body_fields = {
      description: "These body fields are required for this integration but were not in the JSON body.",
      value: missing.body,
    };
    parts.push(`body fields ${missing.body.join(", ")}`);
  }
  const message = `${method} for ${integration} is missing required ${parts.join(" and ")}.${hint ? ` ${hint}` : ""}`;
  return new SandboxHttpError(400, {
    statusCode: 400,
    error: "Bad Request",
    message,
    truto_error_insight: insight,
  });
}

/** One entry of `truto_error_insight`: what it means, and the value it is about. */
export interface Insight {
  description: string;
  value: unknown;
}

/** What a remote error may add: more insight entries (e.g. `rate_limit_error`), and the vendor's headers Truto forwards. */
export interface RemoteExtras {
  insight?: Record<string, Insight>;
  headers?: Record<string, string>;
}

/**
 * A provider-originated failure as Truto forwards it: the status, `truto_is_remote_error`, the
 * vendor's own body as `raw_response`, and `truto_error_insight.remote_error` (truto-api-notes §4.3:
 * https://www.truto.one/docs/api-reference/overview/errors says provider failures add
 * `truto_is_remote_error`, `raw_response` and the provider's forwarded headers; Truto's own errors have neither).
 */
export function remoteError(status: number, message: string, rawResponse: unknown, extras: RemoteExtras = {}): SandboxHttpError {
  return new SandboxHttpError(
    status,
    {
      statusCode: status,
      error: reasonPhrase(status),
      message,
      truto_is_remote_error: true,
      raw_response: rawResponse,
      truto_error_insight: {
        remote_error: { description: "The remote API returned an error.", value: rawResponse },
        ...extras.insight,
      },
    },
    extras.headers,
  );
}
