/**
 * The org of the scale scenario (issue 14), generated from a person count alone, so every run builds the same one.
 *
 * Every person is a user of three accounts and holds one RoleAssignment in each: Slack Enterprise (in one of two
 * workspaces: 74 in 100 people in the larger), JumpCloud, and Elastic Cloud (in one of two organizations, half
 * each). Resources are declared person by person (Slack, JumpCloud, Elastic), so the engine's `--parallel` slots
 * are shared by the three accounts as a real program's would be. With 1,000 people that is 3,000 resources;
 * the larger workspace then holds 1,479 + 6 = 1,485 role assignments once all are created (740 people, 2 roles on average).
 *
 * Roles: person p holds 1, 2 or 3 Slack roles (p mod 3 + 1; on average 2) and 1 or 2 roles elsewhere, taken in
 * turn from each app's list. Each account's owner (the first user listed) holds every listed role in every
 * scope, so no revoke is refused by the last-holder guard. "Change 10% of the roles" changes the resources of
 * every person p with p mod 10 = 3: the first role is dropped and the next one in the list added.
 */
import { RULES } from "../src/integrations/rules";
import type { SandboxState } from "../src/sandbox";
import { LIST_PAGE_SIZE } from "../src/truto/user-directory";
import { benchAccountId, type Declared } from "./population";

/** The apps of the scale org, in the order each person's resources are declared. */
export const SCALE_APPS = ["slackenterprise", "jumpcloud", "elasticcloud"] as const;
export type ScaleApp = (typeof SCALE_APPS)[number];

/**
 * Page sizes the client asks for, which the floor's pages use: `users` listings at the client's page size, and
 * Slack Enterprise's `role_assignments` at its row's `assignmentPageSize` (src/integrations/rules.ts).
 */
export const PAGE_SIZE = { users: LIST_PAGE_SIZE, role_assignments: RULES.slackenterprise.assignmentPageSize } as const;

const ROLES: Record<ScaleApp, string[]> = {
  // Channel Manager, Channel Admin, User Admin, Conversation Admin, Platform Developer, Integrations Manager.
  slackenterprise: ["Rl0A", "Rl01", "Rl03", "Rl05", "Rl0B", "Rl0D"],
  jumpcloud: ["read-only", "help-desk", "manager", "command-runner", "administrator"],
  elasticcloud: ["deployment-viewer", "deployment-editor", "deployment-admin", "billing-admin"],
};

export const ACCOUNT_OF: Record<ScaleApp, string> = {
  slackenterprise: benchAccountId(301),
  jumpcloud: benchAccountId(302),
  elasticcloud: benchAccountId(303),
};

export const WORKSPACES = { large: "T0BENCHLG", small: "T0BENCHSM" } as const;
export const ORGANIZATIONS = ["org-a", "org-b"] as const;

/** One resource of the scale org: what it is declared with, and what the counting needs to know of it. */
export interface ScaleResource extends Declared {
  app: ScaleApp;
  person: number;
  /** The Slack workspace or Elastic organization it is scoped to; undefined for JumpCloud. */
  scope?: string;
  roles: string[];
}

/** The org: the sandbox state before anything is created, the resources, and the same resources after the 10% change. */
export interface ScaleOrg {
  people: number;
  state: SandboxState;
  resources: ScaleResource[];
  changed: ScaleResource[];
}

function userId(app: ScaleApp, p: number): string {
  if (app === "slackenterprise") return `U${p.toString(36).toUpperCase().padStart(8, "0")}`;
  if (app === "jumpcloud") return `64c3f2e4a6d2${p.toString(16).padStart(12, "0")}`;
  return String(4_000_000 + p);
}

function scopeOf(app: ScaleApp, p: number, people: number): string | undefined {
  // 74 in every 100 people, spread evenly: person p is in the larger workspace when ⌊(p + 1) · 0.74⌋ steps up at p.
  if (app === "slackenterprise") return Math.floor(((p + 1) * 74) / 100) > Math.floor((p * 74) / 100) ? WORKSPACES.large : WORKSPACES.small;
  if (app === "elasticcloud") return p < Math.ceil(people / 2) ? ORGANIZATIONS[0] : ORGANIZATIONS[1];
  return undefined;
}

function rolesOf(app: ScaleApp, p: number, shift: number): string[] {
  const list = ROLES[app];
  const count = app === "slackenterprise" ? (p % 3) + 1 : (p % 2) + 1;
  return Array.from({ length: count }, (_, j) => list[(p + shift + j) % list.length]);
}

function resource(app: ScaleApp, p: number, people: number, shift: number): ScaleResource {
  const scope = scopeOf(app, p, people);
  const roles = rolesOf(app, p, shift);
  const inputs: Record<string, unknown> = { integratedAccountId: ACCOUNT_OF[app], integration: app, userId: userId(app, p) };
  if (app === "slackenterprise") inputs.workspaceId = scope;
  if (app === "elasticcloud") inputs.organizations = [{ id: scope }];
  inputs.roles = roles.map((id) => ({ id }));
  return { name: `scale-${app}-${p}`, inputs, app, person: p, scope, roles };
}

/** Whether person p's resources take part in the 10% change. */
export function isChanged(p: number): boolean {
  return p % 10 === 3;
}

/** The scale org for `people` people (the full scenario uses 1,000; the smoke plan a few dozen). */
export function scaleOrg(people: number): ScaleOrg {
  if (!Number.isInteger(people) || people < 10) throw new Error(`scaleOrg: give a whole number of at least 10 people, not ${people}.`);
  const state: SandboxState = { accounts: [], users: [], roles: [], workspaces: [], organizations: [] };
  for (const app of SCALE_APPS) {
    const accountId = ACCOUNT_OF[app];
    state.accounts.push({ id: accountId, integration: app });
    for (const role of ROLES[app]) state.roles.push({ accountId, id: role, name: role });
    const scopes: (string | undefined)[] =
      app === "slackenterprise" ? Object.values(WORKSPACES) : app === "elasticcloud" ? [...ORGANIZATIONS] : [undefined];
    if (app === "slackenterprise") for (const id of scopes) state.workspaces.push({ accountId, id: id!, name: id! });
    if (app === "elasticcloud") for (const id of scopes) state.organizations.push({ accountId, id: id!, name: id! });
    const key = app === "slackenterprise" ? "workspace" : "organization";
    state.users.push({
      accountId,
      id: `owner-${app}`,
      name: "Account Owner",
      email: `owner-${app}@example.com`,
      status: "active",
      roles: scopes.flatMap((scope) => ROLES[app].map((id) => (scope === undefined ? { id } : { id, [key]: scope }))),
    });
    for (let p = 0; p < people; p++) {
      state.users.push({
        accountId,
        id: userId(app, p),
        name: `Scale Person ${p}`,
        email: `person-${p}@example.com`,
        status: "active",
        roles: [],
      });
    }
  }
  const resources: ScaleResource[] = [];
  const changed: ScaleResource[] = [];
  for (let p = 0; p < people; p++) {
    for (const app of SCALE_APPS) {
      resources.push(resource(app, p, people, 0));
      changed.push(resource(app, p, people, isChanged(p) ? 1 : 0));
    }
  }
  return { people, state, resources, changed };
}

/** The role assignments a Slack workspace lists once `resources` are all held (the owner's included). */
export function workspaceAssignments(resources: readonly ScaleResource[], workspace: string): number {
  const held = resources.filter((r) => r.app === "slackenterprise" && r.scope === workspace).reduce((sum, r) => sum + r.roles.length, 0);
  return held + ROLES.slackenterprise.length;
}

/** The users an account lists: one per person, and its owner. */
export function accountUsers(org: ScaleOrg): number {
  return org.people + 1;
}
