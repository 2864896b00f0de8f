/**
 * Who holds which role in an integrated account right now, read through Truto: every user, the role
 * catalogue, the account's workspaces or organizations, and each held role in its scope. `export` turns
 * this into an access map, `audit` compares it with a stack; both read it here and nowhere else.
 *
 * Each integration is read the way the provider reads one assignment back (`readBack` in
 * integrations/rules.ts): Slack Enterprise from `role_assignments` per workspace (workspace_id is
 * required there, truto-api-notes §2.5), the others from the roles on each user. Every call is paged and
 * goes through the client's governor.
 */
import { isKnownIntegration, RULES, type IntegrationRule } from "../integrations/rules";
import type { Grant } from "../integrations/grants";
import type { TrutoClient } from "../truto/client";
import {
  getIntegration,
  grantOfAssignment,
  grantsOfUser,
  listRoleAssignments,
  listRoles,
  listScopes,
  listUsers,
  summarize,
  type UserSummary,
} from "../truto/user-directory";

/** A role, workspace or organization as Truto lists it. */
export interface Named {
  readonly id: string;
  readonly name?: string;
}

/** One role one user holds, with the workspace or organization it is held in (absent where roles are account-wide). */
export interface LiveGrant {
  readonly userId: string;
  readonly roleId: string;
  readonly scope?: string;
}

/** Everything read from one integrated account. */
export interface LiveAccount {
  readonly integratedAccountId: string;
  readonly rule: IntegrationRule;
  readonly users: readonly UserSummary[];
  readonly roles: readonly Named[];
  /** The workspaces (Slack Enterprise) or organizations (Elastic Cloud); empty where roles are account-wide. */
  readonly scopes: readonly Named[];
  /** Every held role, sorted by user, scope and role. */
  readonly grants: readonly LiveGrant[];
}

/** Stable codes of {@link LiveAccessError}. */
export const LiveAccessErrorCodes = { unsupportedIntegration: "LIVE_UNSUPPORTED_INTEGRATION" } as const;

/** An account this package cannot read roles from. */
export class LiveAccessError extends Error {
  override readonly name = "LiveAccessError";
  constructor(
    readonly code: (typeof LiveAccessErrorCodes)[keyof typeof LiveAccessErrorCodes],
    message: string,
  ) {
    super(message);
  }
}

/** Called with one line of progress per step, for stderr. */
export type Progress = (line: string) => void;

/** The scope listing each `roleScope` needs. */
const SCOPE_LISTING = { workspace: "workspaces", organization: "organizations" } as const;

/** The scope a held role is in, on the dimension the integration scopes roles by. */
export function scopeOf(rule: IntegrationRule, grant: Grant): string | undefined {
  if (rule.roleScope === "workspace") return grant.workspace;
  if (rule.roleScope === "organization") return grant.organization;
  return undefined;
}

/** Reads one account: its integration, users, roles, scopes and every held role. */
export async function readAccount(client: TrutoClient, integratedAccountId: string, progress: Progress = () => {}): Promise<LiveAccount> {
  const slug = await getIntegration(client, integratedAccountId);
  if (!isKnownIntegration(slug)) {
    throw new LiveAccessError(
      LiveAccessErrorCodes.unsupportedIntegration,
      `integrated account ${integratedAccountId} is a "${slug}" account; roles can be read only from ${Object.values(RULES)
        .map((r) => r.displayName)
        .join(", ")}. Leave it out of --account.`,
    );
  }
  const rule = RULES[slug];
  const label = `${rule.displayName} account ${integratedAccountId}`;
  progress(`${label}: reading users and roles`);
  const [wireUsers, roles] = await Promise.all([listUsers(client, integratedAccountId), listRoles(client, integratedAccountId)]);
  const listing = rule.roleScope === "none" ? undefined : SCOPE_LISTING[rule.roleScope];
  const scopes = listing ? await listScopes(client, integratedAccountId, listing) : [];
  const held: { userId: string; grant: Grant }[] = [];
  if (rule.readBack === "user-roles") {
    for (const u of wireUsers) for (const grant of grantsOfUser(u)) held.push({ userId: u.id, grant });
  } else {
    for (const [i, ws] of scopes.entries()) {
      progress(`${label}: reading role assignments of workspace ${ws.id} (${i + 1}/${scopes.length})`);
      for (const a of await listRoleAssignments(client, integratedAccountId, ws.id))
        held.push({ userId: a.user_id, grant: grantOfAssignment(a, ws.id) });
    }
  }
  const grants = dedupe(held.map(({ userId, grant }) => ({ userId, roleId: grant.id, scope: scopeOf(rule, grant) })));
  progress(
    `${label}: ${wireUsers.length} users, ${roles.length} roles, ${scopes.length ? `${scopes.length} ${listing}, ` : ""}${grants.length} held roles`,
  );
  return { integratedAccountId, rule, users: wireUsers.map(summarize), roles, scopes, grants };
}

/** Reads each account once, one after another (the governor paces the calls; one account's failure names it). */
export async function readAccounts(
  client: TrutoClient,
  integratedAccountIds: readonly string[],
  progress?: Progress,
): Promise<LiveAccount[]> {
  const ids = [...new Set(integratedAccountIds)];
  const out: LiveAccount[] = [];
  for (const [i, id] of ids.entries()) {
    progress?.(`account ${i + 1}/${ids.length}: ${id}`);
    out.push(await readAccount(client, id, progress));
  }
  return out;
}

/** The key of a live grant, for set comparisons. */
export function liveGrantKey(g: LiveGrant): string {
  return JSON.stringify([g.userId, g.scope ?? "", g.roleId]);
}

function dedupe(grants: LiveGrant[]): LiveGrant[] {
  const byKey = new Map(grants.map((g) => [liveGrantKey(g), g]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}
