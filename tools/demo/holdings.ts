/**
 * "Who holds what", read from the sandbox's state: one row per person, app and scope (a Slack
 * workspace, an Elastic organization), with the role names the app shows.
 */
import { isKnownIntegration, RULES } from "../../src/integrations/rules";
import type { HeldRole, SandboxState } from "../../src/sandbox";
import { renderTable } from "./text-table";

/** One row of the table: person, app (with its scope), roles. */
export type HoldingRow = [person: string, app: string, roles: string];

function scopeName(state: SandboxState, accountId: string, role: HeldRole): string | undefined {
  if (role.workspace) return state.workspaces.find((w) => w.accountId === accountId && w.id === role.workspace)?.name ?? role.workspace;
  if (role.organization)
    return state.organizations.find((o) => o.accountId === accountId && o.id === role.organization)?.name ?? role.organization;
  return undefined;
}

/** The rows for the users of `accountIds` who hold any role, sorted by person, then app. */
export function holdingRows(state: SandboxState, accountIds: readonly string[]): HoldingRow[] {
  const rows: HoldingRow[] = [];
  for (const account of state.accounts.filter((a) => accountIds.includes(a.id))) {
    const app = isKnownIntegration(account.integration) ? RULES[account.integration].displayName : account.integration;
    for (const user of state.users.filter((u) => u.accountId === account.id && u.roles.length > 0)) {
      const byScope = new Map<string, string[]>();
      for (const role of user.roles) {
        const scope = scopeName(state, account.id, role);
        const label = scope ? `${app} · ${scope}` : app;
        const name = state.roles.find((r) => r.accountId === account.id && r.id === role.id)?.name ?? role.id;
        byScope.set(label, [...(byScope.get(label) ?? []), name]);
      }
      for (const [label, names] of byScope) rows.push([user.name, label, names.join(", ")]);
    }
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

/** The table of {@link holdingRows}, or a line saying nobody holds a role. */
export function holdingsTable(state: SandboxState, accountIds: readonly string[]): string {
  const rows = holdingRows(state, accountIds);
  return rows.length > 0 ? renderTable(["PERSON", "APP", "ROLES"], rows, "    ") : "    (nobody holds a role in these apps)";
}
