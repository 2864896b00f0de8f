/**
 * Roles as the resource declares them, and the concrete grants they stand for once the integration's
 * scope (a Slack workspace, Elastic organizations) is filled in. Pure functions over the rules table.
 */
import type { IntegrationRule } from "./rules";

/** A role as declared: `id` identifies it; `group`, `organization`, `workspace` scope it; `name` is a label. */
export interface Role {
  id: string;
  name?: string;
  group?: string;
  organization?: string;
  workspace?: string;
}

/** An organization the assignment is scoped to (Elastic Cloud). */
export interface Organization {
  id: string;
  name?: string;
}

/** Where an assignment lives: account, user and the integration's scope. */
export interface AssignmentScope {
  integratedAccountId: string;
  userId: string;
  workspaceId?: string;
  organizations?: Organization[];
}

/** A role as the app holds it: one role in at most one workspace/organization/group. */
export interface Grant {
  id: string;
  group?: string;
  organization?: string;
  workspace?: string;
}

/** The identity of a role for diffs and conflicts: id + group + organization + workspace (not the name). */
export function roleKey(role: Grant): string {
  return JSON.stringify([role.id, role.group ?? "", role.organization ?? "", role.workspace ?? ""]);
}

/** Roles sorted by key, so reordering in a program is never a change. */
export function sortRoles<T extends Grant>(roles: readonly T[]): T[] {
  return [...roles].sort((a, b) => (roleKey(a) < roleKey(b) ? -1 : roleKey(a) > roleKey(b) ? 1 : 0));
}

/**
 * The grants a declared role stands for: Slack roles live in the resource's workspace; an Elastic role
 * without its own organization is granted in every organization of the scope.
 */
export function grantsOf(rule: IntegrationRule, scope: AssignmentScope, role: Role): Grant[] {
  const base: Grant = strip({ id: role.id, group: role.group, organization: role.organization, workspace: role.workspace });
  if (rule.roleScope === "workspace") return [{ ...base, workspace: role.workspace ?? scope.workspaceId }];
  if (rule.roleScope === "organization" && role.organization === undefined) {
    const orgs = scope.organizations ?? [];
    return orgs.length === 0 ? [base] : orgs.map((o) => ({ ...base, organization: o.id }));
  }
  return [base];
}

/** Whether `grant` is among `held`: same id, and every scope field the grant names matches. */
export function isHeld(grant: Grant, held: readonly Grant[]): boolean {
  return held.some(
    (h) =>
      h.id === grant.id &&
      (grant.group === undefined || h.group === grant.group) &&
      (grant.organization === undefined || h.organization === grant.organization) &&
      (grant.workspace === undefined || h.workspace === grant.workspace),
  );
}

/** Whether every grant of a declared role is held. */
export function roleHeld(rule: IntegrationRule, scope: AssignmentScope, role: Role, held: readonly Grant[]): boolean {
  return grantsOf(rule, scope, role).every((g) => isHeld(g, held));
}

/** Whether any grant of a declared role is still held (what a revoke must rule out). */
export function roleAnyHeld(rule: IntegrationRule, scope: AssignmentScope, role: Role, held: readonly Grant[]): boolean {
  return grantsOf(rule, scope, role).some((g) => isHeld(g, held));
}

/** A copy of `o` without `undefined` values (Pulumi's wire encoding rejects them). */
export function strip<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Roles in `a` whose key is not in `b`. */
export function rolesMissingFrom<T extends Grant>(a: readonly T[], b: readonly Grant[]): T[] {
  const keys = new Set(b.map(roleKey));
  return a.filter((r) => !keys.has(roleKey(r)));
}
