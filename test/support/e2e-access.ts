/**
 * What the end-to-end scenarios compare: access as grant keys ("account/user/role@scope"), read from the
 * sandbox's admin API, from `pulumi stack export`, and from the review of a live `pulumi preview --json`.
 * The state side is written here on its own (not with the provider's grantsOf), so a provider bug in how
 * roles map to grants cannot make both sides agree.
 */
import { SEED_IDS, startSandbox, type SandboxHandle, type SandboxState } from "../../src/sandbox";
import { summarizePreview } from "../../src/review";
import { adminFor, type SandboxAdmin } from "./sandbox-fixture";
import { PulumiStack, type PulumiWorkspace, type StateResource } from "./pulumi-cli";

/** One grant as a string: `account/user/role@scope`, scope being the workspace or organization, or empty. */
export function grantKey(account: string, user: string, role: string, scope = ""): string {
  return `${account}/${user}/${role}@${scope}`;
}

/** Every role every user holds in the sandbox. */
export function heldGrants(state: SandboxState): Set<string> {
  const out = new Set<string>();
  for (const u of state.users) for (const r of u.roles) out.add(grantKey(u.accountId, u.id, r.id, r.workspace ?? r.organization ?? ""));
  return out;
}

/** The grants RoleAssignments in state declare (their `roles`, in their workspace or each organization). */
export function declaredGrants(resources: Iterable<StateResource>): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    const o = r.outputs ?? {};
    for (const role of (o.roles ?? []) as { id: string; workspace?: string; organization?: string }[]) {
      const scopes: string[] = role.workspace
        ? [role.workspace]
        : role.organization
          ? [role.organization]
          : o.workspaceId
            ? [o.workspaceId]
            : o.organizations?.length
              ? o.organizations.map((org: { id: string }) => org.id)
              : [""];
      for (const scope of scopes) out.add(grantKey(o.integratedAccountId, o.userId, role.id, scope));
    }
  }
  return out;
}

/** `a` minus `b`, sorted, for readable assertion messages. */
export function minus(a: Iterable<string>, b: Iterable<string>): string[] {
  const drop = new Set(b);
  return [...a].filter((k) => !drop.has(k)).sort();
}

export function sorted(a: Iterable<string>): string[] {
  return [...a].sort();
}

/** Grants and revokes the review tool reads from a preview, as grant keys. */
export function reviewedChanges(preview: unknown): { granted: string[]; revoked: string[]; unresolved: number } {
  const review = summarizePreview(preview);
  const keys = (
    changes: readonly { role: { id: string; workspace?: string; organization?: string; organizations?: readonly { id: string }[] } }[],
    s: (typeof review.sections)[number],
  ) =>
    changes.flatMap(({ role }) => {
      const scopes = role.workspace
        ? [role.workspace]
        : role.organization
          ? [role.organization]
          : role.organizations?.length
            ? role.organizations.map((o) => o.id)
            : [""];
      return scopes.map((scope) => grantKey(s.app.integratedAccountId ?? "?", s.person.userId ?? "?", role.id, scope));
    });
  return {
    granted: review.sections.flatMap((s) => keys(s.granted, s)).sort(),
    revoked: review.sections.flatMap((s) => keys(s.revoked, s)).sort(),
    unresolved: review.unresolved.length,
  };
}

/** A sandbox for one scenario, with its admin API. */
export interface ScenarioSandbox {
  handle: SandboxHandle;
  admin: Pick<SandboxAdmin, "state" | "putState" | "faults" | "clearFaults" | "requests" | "clearRequests">;
  held(): Promise<Set<string>>;
  /** The environment a CLI command needs to reach this sandbox (token included unless `withToken` is false). */
  env(withToken?: boolean): Record<string, string>;
  close(): Promise<void>;
}

export async function scenarioSandbox(): Promise<ScenarioSandbox> {
  const handle = await startSandbox();
  const admin = adminFor(() => handle);
  return {
    handle,
    admin,
    held: async () => heldGrants(await admin.state()),
    env: (withToken = true) => ({
      TRUTO_BASE_URL: handle.url,
      ...(withToken ? { TRUTO_API_TOKEN: handle.token } : {}),
      TRUTO_SETTLE_MS: "1500",
    }),
    close: () => handle.close(),
  };
}

/** The `assignments` stack config of test/e2e/programs/assignments: RoleAssignment inputs by resource name. */
export type Assignments = Record<string, Record<string, unknown>>;

/** A scenario's sandbox and stack, made before each test of the `describe` that asked for them and removed after it. */
export interface ScenarioStacks {
  sandbox(): ScenarioSandbox;
  stack(): PulumiStack;
  /** Sets the program's `assignments` (and `lateUserIds`) stack config. */
  configure(a: Assignments, late?: string[]): Promise<void>;
}

/**
 * Registers beforeEach/afterEach hooks that give each test a sandbox of its own and a new stack of the project
 * in `program` (copied into the workspace), for the scenario program's `assignments` config.
 */
export function scenarioStacks(workspace: () => PulumiWorkspace, program: string): ScenarioStacks {
  let sandbox: ScenarioSandbox | undefined;
  let stack: PulumiStack | undefined;
  beforeEach(async () => {
    sandbox = await scenarioSandbox();
    stack = await PulumiStack.init(workspace(), await workspace().project(program), sandbox.env());
  });
  afterEach(async () => {
    await stack?.remove();
    await sandbox?.close();
  });
  return {
    sandbox: () => sandbox!,
    stack: () => stack!,
    async configure(a, late) {
      await stack!.setConfig("assignments", JSON.stringify(a));
      if (late) await stack!.setConfig("lateUserIds", JSON.stringify(late));
    },
  };
}

/** Changes the sandbox's state out of band (drift): reads it, applies `edit`, and puts it back. */
export async function editState(sandbox: ScenarioSandbox, edit: (s: SandboxState) => void): Promise<void> {
  const state = await sandbox.admin.state();
  edit(state);
  await sandbox.admin.putState(state);
}

/** The unified role calls the sandbox logged, in order, as "assign U" / "unassign U". */
export async function roleCalls(sandbox: ScenarioSandbox): Promise<string[]> {
  const log = (await sandbox.admin.requests()) as { method: string; path: string; query: Record<string, any>; body: any }[];
  return log
    .filter((r) => r.method === "POST" && /\/(un)?assign-role$/.test(r.path))
    .map((r) => `${r.path.endsWith("unassign-role") ? "unassign" : "assign"} ${r.query?.id ?? r.body?.id}`);
}

/** A JumpCloud RoleAssignment's inputs in the seed's account (account-wide roles). */
export function jumpcloudRoles(userId: string, ...roles: string[]): Record<string, unknown> {
  return { integratedAccountId: SEED_IDS.accounts.jumpcloud, integration: "jumpcloud", userId, roles: roles.map((id) => ({ id })) };
}

/** A Slack Enterprise RoleAssignment's inputs in the seed's account, in one workspace. */
export function slackRoles(userId: string, workspaceId: string, ...roles: string[]): Record<string, unknown> {
  return {
    integratedAccountId: SEED_IDS.accounts.slackenterprise,
    integration: "slackenterprise",
    userId,
    workspaceId,
    roles: roles.map((id) => ({ id })),
  };
}
