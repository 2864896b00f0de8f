/**
 * The access map `export` writes, built from live reads: apps (one per integrated account, with its role
 * catalogue and workspaces or organizations), people (matched across apps by email where the app gives
 * one), and the team map person → app → scope → roles that `examples/access` and the generated program
 * turn into one RoleAssignment per person, app and scope.
 */
import type { IntegrationSlug } from "../integrations/rules";
import { IdentifierPool, camelIdentifier } from "./identifiers";
import type { LiveAccount, Named } from "./live-access";

/** The scope key of an app whose roles are account-wide. */
export const ACCOUNT_WIDE = "all";

/** A role or scope with the identifier generated code calls it by. */
export interface Keyed {
  readonly key: string;
  readonly id: string;
  readonly name?: string;
}

/** One integrated account as the access map describes it. */
export interface ExportedApp {
  readonly key: string;
  readonly integratedAccountId: string;
  readonly integration: IntegrationSlug;
  readonly displayName: string;
  /** `workspace`: roles per Slack workspace; `organization`: per Elastic organization; `none`: account-wide. */
  readonly scope: "workspace" | "organization" | "none";
  readonly roles: readonly Keyed[];
  /** The workspaces or organizations; empty for account-wide apps, whose one scope is {@link ACCOUNT_WIDE}. */
  readonly scopes: readonly Keyed[];
}

/** One person: the same email across apps, else one app's user. */
export interface ExportedPerson {
  readonly key: string;
  readonly name?: string;
  readonly email?: string;
  /** App key → the person's user id there. */
  readonly ids: Readonly<Record<string, string>>;
}

/** Person key → app key → scope key → role ids. */
export type TeamMap = Record<string, Record<string, Record<string, string[]>>>;

/** The whole export. `skipped` says what could not be placed in the map, for stderr. */
export interface AccessMap {
  readonly apps: readonly ExportedApp[];
  readonly people: readonly ExportedPerson[];
  readonly team: TeamMap;
  readonly skipped: readonly string[];
}

/** Keyed entries for `listed` plus any id only seen held, sorted by name, with unique identifiers. */
function keyed(listed: readonly Named[], seen: Iterable<string>, fallbackPrefix: string): Keyed[] {
  const byId = new Map<string, Named>(listed.map((n) => [n.id, n]));
  for (const id of seen) if (!byId.has(id)) byId.set(id, { id });
  const pool = new IdentifierPool();
  const label = (n: Named) => n.name ?? n.id;
  return [...byId.values()]
    .sort((a, b) => label(a).localeCompare(label(b), "en") || a.id.localeCompare(b.id, "en"))
    .map((n) => ({ key: pool.take(label(n), `${fallbackPrefix} ${n.id}`), id: n.id, ...(n.name !== undefined ? { name: n.name } : {}) }));
}

/** Builds the access map of `accounts` (in the order given). */
export function buildAccessMap(accounts: readonly LiveAccount[]): AccessMap {
  const appPool = new IdentifierPool();
  const skipped: string[] = [];
  const apps = accounts.map((a) => {
    const held = a.rule.roleScope === "none" ? [] : a.grants.flatMap((g) => (g.scope !== undefined ? [g.scope] : []));
    return {
      key: appPool.take(a.rule.displayName, a.rule.slug),
      integratedAccountId: a.integratedAccountId,
      integration: a.rule.slug,
      displayName: a.rule.displayName,
      scope: a.rule.roleScope,
      roles: keyed(
        a.roles,
        a.grants.map((g) => g.roleId),
        "role",
      ),
      scopes: a.rule.roleScope === "none" ? [] : keyed(a.scopes, held, a.rule.roleScope),
    } satisfies ExportedApp;
  });

  // People: one per email (ignoring case) and app; a user without an email is a person of their own.
  type Draft = { sort: string; name?: string; email?: string; ids: Record<string, string> };
  const drafts: Draft[] = [];
  const byEmail = new Map<string, Draft>();
  const personOf = new Map<string, Draft>();
  accounts.forEach((a, i) => {
    const app = apps[i]!;
    for (const u of a.users) {
      const email = u.email?.trim().toLowerCase() || undefined;
      let draft = email ? byEmail.get(email) : undefined;
      if (!draft || draft.ids[app.key] !== undefined) {
        draft = { sort: email ?? u.name ?? u.id, ...(email ? { email: u.email!.trim() } : {}), ids: {} };
        drafts.push(draft);
        if (email && !byEmail.has(email)) byEmail.set(email, draft);
      }
      if (draft.name === undefined && u.name) draft.name = u.name;
      draft.ids[app.key] = u.id;
      personOf.set(JSON.stringify([i, u.id]), draft);
    }
  });
  drafts.sort((a, b) => a.sort.localeCompare(b.sort, "en"));
  const peoplePool = new IdentifierPool();
  const keyOf = new Map<Draft, string>();
  const people: ExportedPerson[] = drafts.map((d) => {
    const key = peoplePool.take(d.email?.split("@")[0] ?? d.name ?? "", `person ${Object.values(d.ids)[0] ?? ""}`);
    keyOf.set(d, key);
    return { key, ...(d.name !== undefined ? { name: d.name } : {}), ...(d.email !== undefined ? { email: d.email } : {}), ids: d.ids };
  });

  const team: TeamMap = {};
  accounts.forEach((a, i) => {
    const app = apps[i]!;
    const roleOrder = new Map(app.roles.map((r, n) => [r.id, n]));
    const scopeKey = new Map(app.scopes.map((s) => [s.id, s.key]));
    for (const g of a.grants) {
      const draft = personOf.get(JSON.stringify([i, g.userId]));
      if (!draft) {
        skipped.push(
          `${app.displayName} account ${a.integratedAccountId}: role ${g.roleId} is held by user ${g.userId}, who is not in the account's user list; left out.`,
        );
        continue;
      }
      let scope = ACCOUNT_WIDE;
      if (app.scope !== "none") {
        if (g.scope === undefined) {
          skipped.push(
            `${app.displayName} account ${a.integratedAccountId}: role ${g.roleId} of user ${g.userId} names no ${app.scope}; left out.`,
          );
          continue;
        }
        scope = scopeKey.get(g.scope)!;
      }
      const person = keyOf.get(draft)!;
      const roles = (((team[person] ??= {})[app.key] ??= {})[scope] ??= []);
      if (!roles.includes(g.roleId)) roles.push(g.roleId);
      roles.sort((x, y) => roleOrder.get(x)! - roleOrder.get(y)!);
    }
  });
  return { apps, people, team: sortTeam(team, people), skipped };
}

// People in the order of `people`; apps and scopes as first met (account order, scope order).
function sortTeam(team: TeamMap, people: readonly ExportedPerson[]): TeamMap {
  const out: TeamMap = {};
  for (const p of people) if (team[p.key]) out[p.key] = team[p.key]!;
  return out;
}

/** The name of the resource for one person, app and scope, e.g. `alice-slackEnterprise-platform`. */
export function resourceName(person: string, app: string, scope: string): string {
  return `${person}-${app}-${scope}`;
}

/** The identifier of an app's role constants: `slackEnterpriseRoles`. */
export function rolesConstName(app: ExportedApp): string {
  return `${app.key}Roles`;
}

/** The identifier of an app's workspace or organization constants: `slackEnterpriseWorkspaces`. */
export function scopesConstName(app: ExportedApp): string {
  return `${app.key}${app.scope === "workspace" ? "Workspaces" : "Organizations"}`;
}

/** The type name of an app's role ids: `SlackEnterpriseRole`. */
export function roleTypeName(app: ExportedApp): string {
  const id = camelIdentifier(app.key);
  return `${id[0]!.toUpperCase()}${id.slice(1)}Role`;
}
