import { reasonPhrase, remoteError, type RemoteExtras, type SandboxHttpError } from "./errors";

/** How an app words its error bodies; Truto forwards them untouched as `raw_response`. */
export type VendorStyle = "slack" | "elastic" | "jumpcloud" | "crowdstrike" | "teamviewer" | "generic";

/** The vendor failures the sandbox models. */
export type VendorFailure =
  | "user_not_found"
  | "role_not_found"
  | "scope_not_found"
  | "scope_unknown"
  | "too_many_roles"
  | "already_held"
  | "not_held"
  | "missing_argument"
  | "unauthorized"
  | "rate_limited";

interface FailureSpec {
  status: number;
  slack: string;
  elastic: string;
}

// Status per failure, and the code each vendor would use (Slack's come from its admin.roles docs and its
// documented `invalid_auth`, `ratelimited` and `team_not_found` errors).
const FAILURES: Record<VendorFailure, FailureSpec> = {
  user_not_found: { status: 404, slack: "user_not_found", elastic: "user.not_found" },
  role_not_found: { status: 400, slack: "invalid_role_id", elastic: "role_assignments.invalid_role_id" },
  scope_not_found: { status: 400, slack: "failed_for_some_entities", elastic: "organization.not_found" },
  // A read scoped to a workspace or organization the account does not have.
  scope_unknown: { status: 404, slack: "team_not_found", elastic: "organization.not_found" },
  too_many_roles: { status: 400, slack: "invalid_arguments", elastic: "role_assignments.invalid_request" },
  already_held: { status: 409, slack: "failed_for_some_users", elastic: "role_assignments.already_exists" },
  not_held: { status: 404, slack: "failed_for_some_users", elastic: "role_assignments.not_found" },
  missing_argument: { status: 400, slack: "invalid_arguments", elastic: "request.missing_argument" },
  unauthorized: { status: 401, slack: "invalid_auth", elastic: "root.unauthenticated" },
  rate_limited: { status: 429, slack: "ratelimited", elastic: "request.rate_limited" },
};

/** What the failure is about, so the vendor body can name it the way the vendor would. */
export interface FailureSubject {
  /** The user, role or scope id the vendor rejected. */
  id: string;
  /** A sentence for people: what went wrong and what to do. */
  detail: string;
}

// TeamViewer's Web API answers `{error, error_description}` with an OAuth-style code per kind of failure.
function teamviewerCode(status: number): string {
  if (status === 401) return "invalid_token";
  if (status === 403) return "access_denied";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limit_reached";
  return status >= 500 ? "internal_error" : "invalid_request";
}

function slackBody(failure: VendorFailure | undefined, code: string, subject: FailureSubject): unknown {
  const body: Record<string, unknown> = { ok: false, error: code };
  if (failure === "scope_not_found") body.rejected_entities = [{ id: subject.id, error: "invalid_entity" }];
  if (failure === "already_held") body.rejected_users = [{ id: subject.id, error: "already_assigned" }];
  if (failure === "not_held") body.rejected_users = [{ id: subject.id, error: "not_assigned" }];
  if (failure === "too_many_roles" || failure === "missing_argument") body.response_metadata = { messages: [`[ERROR] ${subject.detail}`] };
  return body;
}

/** The body `style`'s API would answer for a failure; `name` is the failure, or the status's name for an injected fault. */
function rawBody(
  style: VendorStyle,
  status: number,
  spec: FailureSpec,
  name: string,
  failure: VendorFailure | undefined,
  subject: FailureSubject,
) {
  switch (style) {
    case "slack":
      return slackBody(failure, spec.slack, subject);
    case "elastic":
      return { errors: [{ code: spec.elastic, message: subject.detail }] };
    case "jumpcloud":
      return { error: name, message: subject.detail };
    case "crowdstrike":
      // The Falcon API's envelope: meta, resources, and errors carrying the HTTP status as their code.
      return { meta: { query_time: 0 }, resources: [], errors: [{ code: status, message: subject.detail }] };
    case "teamviewer":
      return { error: teamviewerCode(status), error_description: subject.detail };
    case "generic":
      return { error: { code: name, message: subject.detail } };
  }
}

/** The Truto remote error an app's failure becomes, with a vendor-looking `raw_response`. */
export function vendorError(style: VendorStyle, failure: VendorFailure, subject: FailureSubject, extras?: RemoteExtras): SandboxHttpError {
  const spec = FAILURES[failure];
  return remoteError(spec.status, subject.detail, rawBody(style, spec.status, spec, failure, failure, subject), extras);
}

/** Any status as the vendor behind Truto would answer it (an injected `remote` fault), worded the way `style` words errors. */
export function vendorFault(style: VendorStyle, status: number, detail: string): SandboxHttpError {
  const name = reasonPhrase(status)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_");
  const spec = status === 429 ? FAILURES.rate_limited : { status, slack: name, elastic: `request.${name}` };
  return remoteError(status, detail, rawBody(style, status, spec, name, undefined, { id: "", detail }));
}
