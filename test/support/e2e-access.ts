/**
 * What the end-to-end scenarios compare: access as grant keys ("account/user/role@scope"), read from the
 * sandbox's admin API, from `pulumi stack export`, and from the review of a live `pulumi preview --json`.
 * The state side is written here on its own (not with the provider's grantsOf), so a provider bug in how
 * roles map to grants cannot make both sides agree.
 */
import { startSandbox, type SandboxHandle, type SandboxState } from "../../src/sandbox";
import { summarizePreview } from "../../src/review";
import { adminFor, type SandboxAdmin } from "./sandbox-fixture";
import type { StateResource } from "./pulumi-cli";

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
