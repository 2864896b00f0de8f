/**
 * Roles as the resource declares them, and the concrete grants they stand for once the integration's
 * scope (a Slack workspace, Elastic organizations) is filled in. Pure functions over the rules table.
 */
import { ROLE_SCOPE_FIELDS, type IntegrationRule } from "./rules";

/**
 * A role as declared: `id` identifies it; `group`, `organization`, `workspace` scope it; `name` is a label;
 * `expiresAt` (canonical ISO 8601) is when it stops being held, and is not part of its identity.
 */
export interface Role {
  id: string;
  name?: string;
  group?: string;
  organization?: string;
  workspace?: string;
  expiresAt?: string;
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
 * `role` without the scope fields the integration's read-back cannot report (`confirmableRoleFields`).
 * `check` refuses such fields; this projection is for roles already in state (written before that rule),
 * so their revoke is sent, and confirmed, on what the app can show.
 */
export function confirmable<T extends Role>(rule: IntegrationRule, role: T): T {
  const out: T = { ...role };
  for (const field of ROLE_SCOPE_FIELDS) if (!rule.confirmableRoleFields.includes(field)) delete out[field];
  return out;
}

/**
 * The grants a declared role stands for, on the fields the read-back can confirm: Slack roles live in the
 * resource's workspace; an Elastic role without its own organization is granted in every organization of
 * the scope.
 */
export function grantsOf(rule: IntegrationRule, scope: AssignmentScope, role: Role): Grant[] {
  const { id, group, organization, workspace } = confirmable(rule, role);
  const base: Grant = strip({ id, group, organization, workspace });
  if (rule.roleScope === "workspace") return [{ ...base, workspace: workspace ?? scope.workspaceId }];
  if (rule.roleScope === "organization" && organization === undefined) {
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

/**
 * `role` narrowed to the grants `keep` accepts: the role itself when it accepts all of them, nothing when
 * it accepts none, else one role pinned to the scope of each accepted grant (an Elastic role held in one
 * of two organizations becomes that role in that organization).
 */
export function narrowRole(rule: IntegrationRule, scope: AssignmentScope, role: Role, keep: (grant: Grant) => boolean): Role[] {
  const grants = grantsOf(rule, scope, role);
  const kept = grants.filter(keep);
  return kept.length === grants.length ? [role] : kept.map((g) => strip({ ...role, ...g }));
}

/** The part of each role that `held` shows (see {@link narrowRole}); a role held nowhere is left out. */
export function heldPart(rule: IntegrationRule, scope: AssignmentScope, roles: readonly Role[], held: readonly Grant[]): Role[] {
  return roles.flatMap((r) => narrowRole(rule, scope, r, (g) => isHeld(g, held)));
}

/** The part of each role whose grants `roles` do not cover; a role fully covered is left out. */
export function uncoveredPart(rule: IntegrationRule, scope: AssignmentScope, roles: readonly Role[], by: readonly Role[]): Role[] {
  const covering = by.flatMap((r) => grantsOf(rule, scope, r));
  return roles.flatMap((r) => narrowRole(rule, scope, r, (g) => !covering.some((c) => roleKey(c) === roleKey(g))));
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
