import { remoteError, type SandboxHttpError } from "./errors";

/** How an app words its error bodies; Truto forwards them untouched as `raw_response`. */
export type VendorStyle = "slack" | "elastic" | "jumpcloud" | "generic";

/** The vendor failures the sandbox models. */
export type VendorFailure = "user_not_found" | "role_not_found" | "scope_not_found" | "too_many_roles" | "already_held" | "not_held";

interface FailureSpec {
  status: number;
  slack: string;
  elastic: string;
}

// Status per failure, and the code each vendor would use (Slack's come from its admin.roles docs).
const FAILURES: Record<VendorFailure, FailureSpec> = {
  user_not_found: { status: 404, slack: "user_not_found", elastic: "user.not_found" },
  role_not_found: { status: 400, slack: "invalid_role_id", elastic: "role_assignments.invalid_role_id" },
  scope_not_found: { status: 400, slack: "failed_for_some_entities", elastic: "organization.not_found" },
  too_many_roles: { status: 400, slack: "invalid_arguments", elastic: "role_assignments.invalid_request" },
  already_held: { status: 409, slack: "failed_for_some_users", elastic: "role_assignments.already_exists" },
  not_held: { status: 404, slack: "failed_for_some_users", elastic: "role_assignments.not_found" },
};

/** What the failure is about, so the vendor body can name it the way the vendor would. */
export interface FailureSubject {
  /** The user, role or scope id the vendor rejected. */
  id: string;
  /** A sentence for people: what went wrong and what to do. */
  detail: string;
}

function slackBody(failure: VendorFailure, spec: FailureSpec, subject: FailureSubject): unknown {
  const body: Record<string, unknown> = { ok: false, error: spec.slack };
  if (failure === "scope_not_found") body.rejected_entities = [{ id: subject.id, error: "invalid_entity" }];
  if (failure === "already_held") body.rejected_users = [{ id: subject.id, error: "already_assigned" }];
  if (failure === "not_held") body.rejected_users = [{ id: subject.id, error: "not_assigned" }];
  if (failure === "too_many_roles") body.response_metadata = { messages: [`[ERROR] ${subject.detail}`] };
  return body;
}

function rawBody(style: VendorStyle, failure: VendorFailure, subject: FailureSubject): unknown {
  const spec = FAILURES[failure];
  switch (style) {
    case "slack":
      return slackBody(failure, spec, subject);
    case "elastic":
      return { errors: [{ code: spec.elastic, message: subject.detail }] };
    case "jumpcloud":
      return { error: failure, message: subject.detail };
    case "generic":
      return { error: { code: failure, message: subject.detail } };
  }
}

/** The Truto remote error an app's failure becomes, with a vendor-looking `raw_response`. */
export function vendorError(style: VendorStyle, failure: VendorFailure, subject: FailureSubject): SandboxHttpError {
  return remoteError(FAILURES[failure].status, subject.detail, rawBody(style, failure, subject));
}
