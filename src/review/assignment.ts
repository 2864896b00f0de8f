/**
 * Reads one RoleAssignment state from the preview into typed fields, keeping apart what is known,
 * what is known only at `up`, and what is secret, so nothing hidden is ever mistaken for a value.
 */
import type { PreviewState } from "./digest";
import { placeholderOf, type HiddenReason } from "./sentinels";
import type { ReviewedOrganization, ReviewedRole } from "./roles";

/** A field whose value is either known or hidden for a stated reason. */
export type Field<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly reason: HiddenReason };

/** One input path that could not be read, and why. */
export interface HiddenValue {
  /** Property path in the resource inputs, e.g. `roles`, `roles[1].id`, `userId`. */
  readonly path: string;
  readonly reason: HiddenReason;
}

/** The user as the provider last read it back (outputs `user`), known parts only. */
export interface DirectoryUser {
  readonly name?: string;
  readonly email?: string;
}

/** A RoleAssignment state as the review sees it. */
export interface AssignmentView {
  readonly integratedAccountId: Field<string>;
  readonly integration: Field<string>;
  readonly userId: Field<string>;
  /** Every role with a readable id, or hidden when the whole list is; roles whose id is hidden are left out. */
  readonly roles: Field<readonly ReviewedRole[]>;
  /** How many listed roles were left out because the role or its id is hidden. */
  readonly opaqueRoles: number;
  readonly user?: DirectoryUser;
  /** The roles the state's outputs record as expired (`expiredRoles`), as the review compares roles. */
  readonly expired: readonly ReviewedRole[];
  /** Every input that could not be read, in path order. */
  readonly hidden: readonly HiddenValue[];
}

// Inputs that hold no access information: the serialized provider code.
const IGNORED_INPUTS = new Set(["__provider"]);
const TYPED_INPUTS = new Set(["integratedAccountId", "integration", "userId", "workspaceId", "organizations", "roles"]);
const MAX_DEPTH = 8;

/** Reads `state`'s inputs (falling back to outputs) and, from outputs, the user the provider saw. */
export function readAssignment(state: PreviewState): AssignmentView {
  const inputs = state.inputs ?? state.outputs ?? {};
  const hidden: HiddenValue[] = [];
  const integratedAccountId = readString(inputs.integratedAccountId, "integratedAccountId", hidden);
  const integration = readString(inputs.integration, "integration", hidden);
  const userId = readString(inputs.userId, "userId", hidden);
  const workspaceId = readOptionalString(inputs.workspaceId, "workspaceId", hidden);
  const organizations = readOrganizations(inputs.organizations, hidden);
  const expiresAt = typeof inputs.expiresAt === "string" && !placeholderOf(inputs.expiresAt) ? inputs.expiresAt : undefined;
  const scope: Scope = { workspace: workspaceId, organizations, expiresAt };
  const { roles, opaque } = readRoles(inputs.roles, hidden, scope);
  // Outputs only: what the provider recorded as expired at the last up (nothing in an older state).
  const expiredRoles = readRoles(state.outputs?.expiredRoles, [], scope).roles;
  for (const [key, value] of Object.entries(inputs)) {
    if (!IGNORED_INPUTS.has(key) && !TYPED_INPUTS.has(key)) collectHidden(value, key, hidden, 0);
  }
  const user = readUser(state.outputs?.user);
  return {
    integratedAccountId,
    integration,
    userId,
    roles,
    opaqueRoles: opaque,
    expired: expiredRoles.known ? expiredRoles.value : [],
    ...(user ? { user } : {}),
    hidden: hidden.sort((a, b) => a.path.localeCompare(b.path)),
  };
}

function readString(value: unknown, path: string, hidden: HiddenValue[]): Field<string> {
  const reason = placeholderOf(value);
  if (reason) return hide(path, reason, hidden);
  if (typeof value === "string" && value !== "") return { known: true, value };
  return hide(path, "unreadable", hidden);
}

// An optional field: absent is a plain "no scope", not a hidden value.
function readOptionalString(value: unknown, path: string, hidden: HiddenValue[]): Field<string> | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return readString(value, path, hidden);
}

function hide(path: string, reason: HiddenReason, hidden: HiddenValue[]): { known: false; reason: HiddenReason } {
  hidden.push({ path, reason });
  return { known: false, reason };
}

function readOrganizations(value: unknown, hidden: HiddenValue[]): Field<readonly ReviewedOrganization[]> | undefined {
  if (value === undefined || value === null) return undefined;
  const reason = placeholderOf(value);
  if (reason) return hide("organizations", reason, hidden);
  if (!Array.isArray(value)) return hide("organizations", "unreadable", hidden);
  const orgs: ReviewedOrganization[] = [];
  let complete = true;
  value.forEach((item: unknown, i) => {
    const path = `organizations[${i}]`;
    const obj = asObject(item, path, hidden);
    if (!obj) return void (complete = false);
    const id = readString(obj.id, `${path}.id`, hidden);
    const name = readOptionalString(obj.name, `${path}.name`, hidden);
    if (!id.known) return void (complete = false);
    orgs.push({ id: id.value, ...(name?.known ? { name: name.value } : {}) });
  });
  // A partly hidden list cannot scope roles: two lists would compare equal that may differ.
  if (!complete) return { known: false, reason: firstReason(hidden, "organizations") };
  return orgs.length > 0 ? { known: true, value: orgs } : undefined;
}

interface Scope {
  readonly workspace: Field<string> | undefined;
  readonly organizations: Field<readonly ReviewedOrganization[]> | undefined;
  /** The assignment's own `expiresAt`, for roles without one. */
  readonly expiresAt?: string;
}

function readRoles(value: unknown, hidden: HiddenValue[], scope: Scope): { roles: Field<readonly ReviewedRole[]>; opaque: number } {
  const reason = placeholderOf(value);
  if (reason) return { roles: hide("roles", reason, hidden), opaque: 0 };
  if (!Array.isArray(value)) return { roles: hide("roles", "unreadable", hidden), opaque: 0 };
  const roles: ReviewedRole[] = [];
  let opaque = 0;
  value.forEach((item: unknown, i) => {
    const role = readRole(item, `roles[${i}]`, hidden, scope);
    if (role) roles.push(role);
    else opaque += 1;
  });
  return { roles: { known: true, value: roles }, opaque };
}

// A role whose id is hidden is left out (counted as opaque). A role whose scope is hidden is kept with
// `hiddenScope` set: it can be listed as granted or revoked, but never compared.
function readRole(item: unknown, path: string, hidden: HiddenValue[], scope: Scope): ReviewedRole | undefined {
  const obj = asObject(item, path, hidden);
  if (!obj) return undefined;
  const id = readString(obj.id, `${path}.id`, hidden);
  const name = readOptionalString(obj.name, `${path}.name`, hidden);
  const group = readOptionalString(obj.group, `${path}.group`, hidden);
  const organization = readOptionalString(obj.organization, `${path}.organization`, hidden);
  const workspace = readOptionalString(obj.workspace, `${path}.workspace`, hidden) ?? scope.workspace;
  const ownExpiry = readOptionalString(obj.expiresAt, `${path}.expiresAt`, hidden);
  const expiresAt = ownExpiry ? (ownExpiry.known ? ownExpiry.value : undefined) : scope.expiresAt;
  if (!id.known) return undefined;
  const orgs = organization ? undefined : scope.organizations;
  const hiddenScope = [group, organization, workspace, orgs].find((f) => f !== undefined && !f.known);
  const orgName =
    organization?.known && scope.organizations?.known
      ? scope.organizations.value.find((o) => o.id === organization.value)?.name
      : undefined;
  return {
    id: id.value,
    ...(name?.known ? { name: name.value } : {}),
    ...(group?.known ? { group: group.value } : {}),
    ...(organization?.known ? { organization: organization.value } : {}),
    ...(orgName ? { organizationName: orgName } : {}),
    ...(workspace?.known ? { workspace: workspace.value } : {}),
    ...(orgs?.known ? { organizations: orgs.value } : {}),
    ...(hiddenScope && !hiddenScope.known ? { hiddenScope: hiddenScope.reason } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

function asObject(item: unknown, path: string, hidden: HiddenValue[]): Record<string, unknown> | undefined {
  const reason = placeholderOf(item);
  if (reason) return void hide(path, reason, hidden);
  if (typeof item !== "object" || item === null || Array.isArray(item)) return void hide(path, "unreadable", hidden);
  return item as Record<string, unknown>;
}

function firstReason(hidden: readonly HiddenValue[], prefix: string): HiddenReason {
  return hidden.find((h) => h.path.startsWith(prefix))?.reason ?? "unreadable";
}

// Free-form inputs (remoteData, remoteQuery) are only scanned for placeholders, never interpreted.
function collectHidden(value: unknown, path: string, hidden: HiddenValue[], depth: number): void {
  const reason = placeholderOf(value);
  if (reason) return void hidden.push({ path, reason });
  if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) value.forEach((v, i) => collectHidden(v, `${path}[${i}]`, hidden, depth + 1));
  else for (const [k, v] of Object.entries(value)) collectHidden(v, `${path}.${k}`, hidden, depth + 1);
}

function readUser(value: unknown): DirectoryUser | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { name, email } = value as Record<string, unknown>;
  const user: { name?: string; email?: string } = {};
  if (typeof name === "string" && name.trim() !== "" && !placeholderOf(name)) user.name = name;
  if (typeof email === "string" && email.trim() !== "" && !placeholderOf(email)) user.email = email;
  return user.name || user.email ? user : undefined;
}
