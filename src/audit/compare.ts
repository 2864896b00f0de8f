/**
 * Live access against what a stack manages: roles held that no RoleAssignment declares (out of band),
 * and declared roles no longer held (drift). Privileged findings come first.
 */
import { grantsOf } from "../integrations/grants";
import { RULES, type IntegrationSlug } from "../integrations/rules";
import { scopeOf, type LiveAccount, type LiveGrant } from "../export/live-access";
import { DEFAULT_PRIVILEGED, roleJudge } from "../review/privileged";
import type { ManagedAssignment, UnreadableAssignment } from "./stack-state";

/** One finding: a role of one user, in one account and scope. */
export interface Finding {
  readonly kind: "out-of-band" | "drift";
  readonly integratedAccountId: string;
  readonly integration: IntegrationSlug;
  readonly app: string;
  readonly userId: string;
  readonly userName?: string;
  readonly email?: string;
  readonly roleId: string;
  readonly roleName?: string;
  /** The workspace or organization id; absent where roles are account-wide. */
  readonly scope?: string;
  readonly scopeName?: string;
  readonly privileged: boolean;
  /** Out of band: the stack declares the role but it expired, so the next `pulumi up` revokes it. */
  readonly expired?: true;
  /** Drift: the resource that declares the role. Out of band: the resource managing this user and scope, if any. */
  readonly resource?: string;
}

/** What an audit found, with what it covered. */
export interface AuditReport {
  readonly accounts: readonly {
    integratedAccountId: string;
    integration: IntegrationSlug;
    app: string;
    users: number;
    heldRoles: number;
  }[];
  readonly resources: number;
  readonly declaredRoles: number;
  readonly outOfBand: readonly Finding[];
  readonly drift: readonly Finding[];
  readonly unreadable: readonly UnreadableAssignment[];
}

/** Options of an audit: words that mark a role as privileged, added to the review's defaults. */
export interface AuditOptions {
  readonly privileged?: readonly string[];
}

const account = (id: string) => id.trim().toLowerCase();
const keyOf = (accountId: string, g: LiveGrant) => JSON.stringify([account(accountId), g.userId, g.scope ?? "", g.roleId]);
const scopeKeyOf = (accountId: string, userId: string, scope: string | undefined) =>
  JSON.stringify([account(accountId), userId, scope ?? ""]);

/** The grants each resource's roles stand for, as live grants (the provider's own `grantsOf`). */
function declared(m: ManagedAssignment, which: "active" | "expired"): LiveGrant[] {
  const rule = RULES[m.integration];
  const scope = {
    integratedAccountId: m.integratedAccountId,
    userId: m.userId,
    workspaceId: m.workspaceId,
    organizations: m.organizations ? [...m.organizations] : undefined,
  };
  return m[which].flatMap((role) => grantsOf(rule, scope, role)).map((g) => ({ userId: m.userId, roleId: g.id, scope: scopeOf(rule, g) }));
}

function order(a: Finding, b: Finding): number {
  const key = (f: Finding) =>
    [f.privileged ? 0 : 1, f.app, f.userName ?? f.userId, f.scopeName ?? f.scope ?? "", f.roleName ?? f.roleId].join("\u0000");
  return key(a).localeCompare(key(b), "en");
}

/** Compares `live` (every audited account) with `managed`. */
export function auditAccess(
  live: readonly LiveAccount[],
  managed: readonly ManagedAssignment[],
  unreadable: readonly UnreadableAssignment[] = [],
  options: AuditOptions = {},
): AuditReport {
  const judge = roleJudge([...DEFAULT_PRIVILEGED, ...(options.privileged ?? [])]);
  const accounts = new Map(live.map((a) => [account(a.integratedAccountId), a]));
  const active = new Map<string, ManagedAssignment>();
  const expired = new Set<string>();
  const managingScope = new Map<string, string>();
  for (const m of managed) {
    for (const g of declared(m, "active")) {
      active.set(keyOf(m.integratedAccountId, g), m);
      managingScope.set(scopeKeyOf(m.integratedAccountId, g.userId, g.scope), m.name);
    }
    for (const g of declared(m, "expired")) expired.add(keyOf(m.integratedAccountId, g));
  }

  const describe = (a: LiveAccount, g: LiveGrant, kind: Finding["kind"]): Finding => {
    const user = a.users.find((u) => u.id === g.userId);
    const roleName = a.roles.find((r) => r.id === g.roleId)?.name;
    const scopeName = g.scope === undefined ? undefined : a.scopes.find((s) => s.id === g.scope)?.name;
    const verdict = judge({ id: g.roleId, ...(roleName !== undefined ? { name: roleName } : {}) }, a.rule.slug);
    return {
      kind,
      integratedAccountId: a.integratedAccountId,
      integration: a.rule.slug,
      app: a.rule.displayName,
      userId: g.userId,
      ...(user?.name !== undefined ? { userName: user.name } : {}),
      ...(user?.email !== undefined ? { email: user.email } : {}),
      roleId: g.roleId,
      ...(roleName !== undefined ? { roleName } : {}),
      ...(g.scope !== undefined ? { scope: g.scope } : {}),
      ...(scopeName !== undefined ? { scopeName } : {}),
      privileged: verdict.privileged,
    };
  };

  const outOfBand: Finding[] = [];
  const heldKeys = new Set<string>();
  for (const a of live) {
    for (const g of a.grants) {
      const key = keyOf(a.integratedAccountId, g);
      heldKeys.add(key);
      if (active.has(key)) continue;
      const resource = managingScope.get(scopeKeyOf(a.integratedAccountId, g.userId, g.scope));
      outOfBand.push({
        ...describe(a, g, "out-of-band"),
        ...(expired.has(key) ? { expired: true as const } : {}),
        ...(resource ? { resource } : {}),
      });
    }
  }

  const drift: Finding[] = [];
  for (const [key, m] of active) {
    if (heldKeys.has(key)) continue;
    const a = accounts.get(account(m.integratedAccountId));
    if (!a) continue; // every account a resource names is read; this cannot happen, and is not a finding
    const [, userId, scope, roleId] = JSON.parse(key) as [string, string, string, string];
    const g: LiveGrant = { userId, roleId, ...(scope !== "" ? { scope } : {}) };
    const found = describe(a, g, "drift");
    drift.push({
      ...found,
      ...(found.userName === undefined && m.user?.name ? { userName: m.user.name } : {}),
      ...(found.email === undefined && m.user?.email ? { email: m.user.email } : {}),
      resource: m.name,
    });
  }

  return {
    accounts: live.map((a) => ({
      integratedAccountId: a.integratedAccountId,
      integration: a.rule.slug,
      app: a.rule.displayName,
      users: a.users.length,
      heldRoles: a.grants.length,
    })),
    resources: managed.length,
    declaredRoles: active.size,
    outOfBand: outOfBand.sort(order),
    drift: drift.sort(order),
    unreadable,
  };
}
