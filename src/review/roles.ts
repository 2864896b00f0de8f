/**
 * Roles as the review compares them: a role's identity is (id, group, organization, workspace) plus the
 * resource-level scope it inherits; `name` is only a label and never makes two roles differ.
 */
import type { HiddenReason } from "./sentinels";

/** An organization an assignment is scoped to. */
export interface ReviewedOrganization {
  readonly id: string;
  readonly name?: string;
}

/** One role with its effective scope; `hiddenScope` says a scope field could not be read. */
export interface ReviewedRole {
  readonly id: string;
  readonly name?: string;
  readonly group?: string;
  readonly organization?: string;
  /** The organization's name, when the assignment's `organizations` input names it. */
  readonly organizationName?: string;
  readonly workspace?: string;
  /** The assignment's `organizations`, when the role names no organization of its own. */
  readonly organizations?: readonly ReviewedOrganization[];
  /** Set when the group, organization or workspace is unknown or secret: the role cannot be compared. */
  readonly hiddenScope?: HiddenReason;
  /** When the role expires: its own `expiresAt`, else the assignment's. Never part of its identity. */
  readonly expiresAt?: string;
}

/** Whether `role` can be compared with another by identity (its whole scope is known). */
export function isComparable(role: ReviewedRole): boolean {
  return role.hiddenScope === undefined;
}

/** How two role lists differ: roles only in the new list, only in the old one, and in both. */
export interface RoleSetDiff {
  readonly granted: readonly ReviewedRole[];
  readonly revoked: readonly ReviewedRole[];
  /** Roles in both lists, as the new list labels them. */
  readonly kept: readonly ReviewedRole[];
}

/** The identity of `role` as a string, equal for two roles exactly when they grant the same access. */
export function reviewedRoleKey(role: ReviewedRole): string {
  // A role with a hidden scope must never equal another role, hidden or not.
  if (role.hiddenScope) {
    return JSON.stringify([
      "hidden-scope",
      role.id,
      role.hiddenScope,
      role.group ?? null,
      role.workspace ?? null,
      role.organization ?? null,
    ]);
  }
  const orgs = role.organizations?.map((o) => o.id).sort() ?? null;
  return JSON.stringify([role.id, role.group ?? null, role.organization ?? null, role.workspace ?? null, orgs]);
}

/** Compares two role lists by identity; duplicates within one list count once. */
export function diffRoles(oldRoles: readonly ReviewedRole[], newRoles: readonly ReviewedRole[]): RoleSetDiff {
  const oldByKey = byKey(oldRoles);
  const newByKey = byKey(newRoles);
  const granted = [...newByKey].filter(([k]) => !oldByKey.has(k)).map(([, r]) => r);
  const revoked = [...oldByKey].filter(([k]) => !newByKey.has(k)).map(([, r]) => r);
  const kept = [...newByKey].filter(([k]) => oldByKey.has(k)).map(([, r]) => r);
  return { granted, revoked, kept };
}

function byKey(roles: readonly ReviewedRole[]): Map<string, ReviewedRole> {
  const map = new Map<string, ReviewedRole>();
  for (const role of roles) if (!map.has(reviewedRoleKey(role))) map.set(reviewedRoleKey(role), role);
  return map;
}
