/**
 * The sandbox state and RoleAssignment inputs the scenarios use.
 *
 * Throughput runs spread one assignment per user over five accounts that read assignments back from the
 * user (JumpCloud twice, CrowdStrike, TeamViewer, BlackLine), round-robin, so each account sees a fifth of
 * the traffic, every write carries all of an assignment's roles, and a read-back is one `GET users/{id}`:
 * the request pattern of most of Truto's role integrations. Every other assignment holds two roles.
 * Users start with no roles, so every create is a real grant and every delete a real revoke; each account's
 * owner holds every role, so deletes of admin roles pass the last-holder guard (and pay for its count).
 * Slack Enterprise (one role per request, read-back through a workspace-wide list) and Elastic Cloud
 * (scope-wide revoke) have their own request-count cases instead, where their rules are what is measured.
 */
import type { SandboxState } from "../src/sandbox";

/** One resource as a program declares it: its name and its (unchecked) inputs. */
export interface Declared {
  name: string;
  inputs: Record<string, unknown>;
}

/** A state to PUT and the resources to run against it. */
export interface Population {
  state: SandboxState;
  assignments: Declared[];
}

/** A deterministic RFC 4122 UUID for bench account `n` (check() requires account ids to be UUIDs). */
export function benchAccountId(n: number): string {
  return `b3e0c000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

interface AccountSpec {
  integration: string;
  userId: (i: number) => string;
  roles: string[];
}

const JUMPCLOUD_ROLES = ["administrator", "manager", "help-desk", "read-only", "command-runner", "billing"];

const THROUGHPUT_ACCOUNTS: AccountSpec[] = [
  { integration: "jumpcloud", userId: (i) => `64a1f0c2e4b0${i.toString(16).padStart(12, "0")}`, roles: JUMPCLOUD_ROLES },
  { integration: "jumpcloud", userId: (i) => `64b2e1d3f5c1${i.toString(16).padStart(12, "0")}`, roles: JUMPCLOUD_ROLES },
  {
    integration: "crowdstrike",
    userId: (i) => `cs-bench-${i}`,
    roles: ["falconhost_admin", "falconhost_analyst", "falconhost_read_only", "falconhost_investigator"],
  },
  {
    integration: "teamviewer",
    userId: (i) => `tv-bench-${i}`,
    roles: ["tv-role-admin", "tv-role-member", "tv-role-support", "tv-role-auditor"],
  },
  { integration: "blackline", userId: (i) => `bl-bench-${i}`, roles: ["bl-system-admin", "bl-preparer", "bl-reviewer", "bl-approver"] },
];

function emptyState(): SandboxState {
  return { accounts: [], users: [], roles: [], workspaces: [], organizations: [] };
}

function addAccount(state: SandboxState, id: string, spec: Pick<AccountSpec, "integration" | "roles">): void {
  state.accounts.push({ id, integration: spec.integration });
  for (const role of spec.roles) state.roles.push({ accountId: id, id: role, name: role });
}

function addUser(state: SandboxState, accountId: string, userId: string, n: number): void {
  state.users.push({ accountId, id: userId, name: `Bench User ${n}`, email: `bench-${n}@example.com`, status: "active", roles: [] });
}

function populate(count: number, accounts: AccountSpec[]): Population {
  const state = emptyState();
  accounts.forEach((spec, a) => {
    const accountId = benchAccountId(a + 1);
    addAccount(state, accountId, spec);
    // The account's owner holds every role, as in a real account, so no bench user is the last holder of an
    // admin role: a delete pays the last-holder guard's count (one page of users, the owner first) and goes through.
    state.users.push({
      accountId,
      id: `owner-${a + 1}`,
      name: "Account Owner",
      email: `owner-${a + 1}@example.com`,
      status: "active",
      roles: spec.roles.map((id) => ({ id })),
    });
  });
  const assignments: Declared[] = [];
  for (let i = 0; i < count; i++) {
    const a = i % accounts.length;
    const spec = accounts[a];
    const accountId = benchAccountId(a + 1);
    const userId = spec.userId(Math.floor(i / accounts.length));
    addUser(state, accountId, userId, i);
    const first = spec.roles[i % spec.roles.length];
    const second = spec.roles[(i + 1) % spec.roles.length];
    const roles = i % 2 === 0 ? [{ id: first }] : [{ id: first }, { id: second }];
    assignments.push({ name: `bench-${i}`, inputs: { integratedAccountId: accountId, integration: spec.integration, userId, roles } });
  }
  return { state, assignments };
}

/** `count` assignments, one per user, round-robin over the five user-read-back accounts above. */
export function throughputPopulation(count: number): Population {
  return populate(count, THROUGHPUT_ACCOUNTS);
}

/** `count` assignments, one per user, all on one JumpCloud account (the rate-limited scenario). */
export function singleAccountPopulation(count: number): Population {
  return populate(count, [THROUGHPUT_ACCOUNTS[0]]);
}

/** One integration's request-count case: an assignment to create, update and delete, and N to refresh. */
export interface CountCase {
  integration: string;
  /** Create with `roles(0, 1)`, update to `roles(1, 2)` (one added, one removed), delete. */
  inputs(roleIndexes: number[]): Record<string, unknown>;
  /** The k-th of the N assignments of one user that are refreshed together. */
  refreshInputs(k: number): Record<string, unknown>;
}

const COUNT_INTEGRATIONS = ["jumpcloud", "crowdstrike", "slackenterprise", "elasticcloud"] as const;

/** The state and cases for counting requests per operation, one account per integration. */
export function requestCountPopulation(fanout: number): { state: SandboxState; cases: CountCase[] } {
  const state = emptyState();
  const roleIds = Array.from({ length: fanout + 3 }, (_, r) => `role-${r}`);
  const cases = COUNT_INTEGRATIONS.map((integration, a): CountCase => {
    const accountId = benchAccountId(100 + a);
    addAccount(state, accountId, { integration, roles: roleIds });
    addUser(state, accountId, "counted-user", a * 2);
    addUser(state, accountId, "shared-user", a * 2 + 1);
    const orgs = Array.from({ length: fanout + 1 }, (_, k) => `org-${k}`);
    if (integration === "slackenterprise") state.workspaces.push({ accountId, id: "T0BENCH", name: "Bench" });
    if (integration === "elasticcloud") for (const org of orgs) state.organizations.push({ accountId, id: org, name: org });
    const scope = (org: string): Record<string, unknown> =>
      integration === "slackenterprise"
        ? { workspaceId: "T0BENCH" }
        : integration === "elasticcloud"
          ? { organizations: [{ id: org }] }
          : {};
    const base = { integratedAccountId: accountId, integration };
    return {
      integration,
      inputs: (indexes) => ({ ...base, userId: "counted-user", ...scope(orgs[fanout]), roles: indexes.map((r) => ({ id: roleIds[r] })) }),
      // Elastic revokes a whole organization at once, so one user's several assignments differ by organization.
      refreshInputs: (k) =>
        integration === "elasticcloud"
          ? { ...base, userId: "shared-user", ...scope(orgs[k]), roles: [{ id: roleIds[0] }] }
          : { ...base, userId: "shared-user", ...scope(""), roles: [{ id: roleIds[k] }] },
    };
  });
  return { state, cases };
}
