/**
 * The sandbox's state model. GET and PUT /_sandbox/state exchange exactly this JSON shape, and the
 * state file holds it too, so every field here is part of a documented contract.
 */
import type { RateLimit } from "./rate-limiter";

/** The statuses Truto documents for an integrated account (https://truto.one/docs/api-reference/admin/integrated-accounts/list). */
export const ACCOUNT_STATUSES = ["active", "connecting", "post_install_error", "validation_error", "needs_reauth"] as const;

/** One of {@link ACCOUNT_STATUSES}. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** An integrated account: one connected app, named by its Truto integration slug. */
export interface SandboxAccount {
  id: string;
  integration: string;
  /** What GET /integrated-account/{id} answers as `status`; absent means `active`. `needs_reauth` answers every unified call 401. */
  status?: AccountStatus;
  /** A Truto sandbox account (`is_sandbox`): unified writes answer 405. Absent means false. */
  isSandbox?: boolean;
  /** Blocked by Truto (not one of the statuses): every unified call answers 503. Absent means false. */
  blocked?: boolean;
}

/** A role a user holds; Slack roles carry the workspace, Elastic roles the organization, others neither. */
export interface HeldRole {
  id: string;
  workspace?: string;
  organization?: string;
}

/** A user of one integrated account and the roles they hold there. */
export interface SandboxUser {
  accountId: string;
  id: string;
  name: string;
  email: string;
  status: string;
  roles: HeldRole[];
}

/** A role in an account's catalogue (what can be assigned). */
export interface SandboxRole {
  accountId: string;
  id: string;
  name: string;
}

/** A Slack Enterprise workspace (team) in which roles are held. */
export interface SandboxWorkspace {
  accountId: string;
  id: string;
  name: string;
}

/** An Elastic Cloud organization in which roles are held. */
export interface SandboxOrganization {
  accountId: string;
  id: string;
  name: string;
}

/** Everything the sandbox knows: accounts, their users, role catalogues and scopes. */
export interface SandboxState {
  accounts: SandboxAccount[];
  users: SandboxUser[];
  roles: SandboxRole[];
  workspaces: SandboxWorkspace[];
  organizations: SandboxOrganization[];
}

/** The settings that can change while the sandbox runs (PATCH /_sandbox/config). */
export interface SandboxSettings {
  /** Truto's limit per integrated account, on /unified requests; `false` is off. */
  rateLimit: RateLimit | false;
  /** Truto's limit per API token, on every API request (not /_sandbox); `false` is off. */
  tokenRateLimit: RateLimit | false;
  /** The vendor's quota per integrated account, sent as `ratelimit-*` headers on /unified answers; `false` (no headers) is off. */
  vendorQuota: RateLimit | false;
  latencyMs: number;
  strictIdempotency: boolean;
}

/**
 * What GET …/meta/{method} answers for one integration's method instead of the sandbox's own description
 * (PUT /_sandbox/meta/{integration}/{method}): any JSON object, served as-is with 200, or `{ absent: true }` for a 404.
 */
export type MetaOverride = { absent: true } | Record<string, unknown>;
