/**
 * Compares what the sandbox holds with what Pulumi state records: state's `heldRoles`, expanded into
 * concrete grants by the integration's scope (a Slack workspace, each Elastic organization).
 */
import { strict as assert } from "node:assert";
import { grantsOf, type Organization, type Role } from "../../../src/integrations/grants";
import { RULES, isKnownIntegration } from "../../../src/integrations/rules";
import type { SandboxState } from "../../../src/sandbox";
import type { StateEntry } from "../../../tools/engine/deployment";

/** A grant as a comparable key: role id, workspace, organization. */
export function grantKey(g: { id: string; workspace?: string; organization?: string }): string {
  return JSON.stringify([g.id, g.workspace ?? "", g.organization ?? ""]);
}

/** Who a recorded resource is about. */
export interface Holder {
  accountId: string;
  userId: string;
}

/** The account and user a recorded resource manages. */
export function holderOf(state: StateEntry): Holder {
  return { accountId: String(state.outputs.integratedAccountId), userId: String(state.outputs.userId) };
}

/** The grants state says are held for a recorded resource (none for a resource state does not hold). */
export function recordedGrants(state: StateEntry | undefined): string[] {
  if (!state) return [];
  const o = state.outputs;
  const slug = String(o.integration);
  if (!isKnownIntegration(slug)) throw new Error(`recorded state names an unknown integration "${slug}"`);
  const scope = {
    integratedAccountId: String(o.integratedAccountId),
    userId: String(o.userId),
    workspaceId: o.workspaceId as string | undefined,
    organizations: o.organizations as Organization[] | undefined,
  };
  const held = (o.heldRoles as Role[] | undefined) ?? [];
  return [...new Set(held.flatMap((r) => grantsOf(RULES[slug], scope, r)).map(grantKey))].sort();
}

/** The grants the sandbox holds for one user, as sorted keys (duplicates kept, so they can be caught). */
export function sandboxGrants(sandbox: SandboxState, who: Holder): string[] {
  const user = sandbox.users.find((u) => u.accountId === who.accountId && u.id === who.userId);
  return (user?.roles ?? []).map(grantKey).sort();
}

/**
 * Asserts the sandbox agrees with state for `who`: nothing held twice, nothing held that state does not
 * record, and, with `exact`, everything state records really held.
 */
export function assertAgrees(sandbox: SandboxState, who: Holder, state: StateEntry | undefined, exact: boolean, context: string): void {
  const held = sandboxGrants(sandbox, who);
  const recorded = recordedGrants(state);
  assert.equal(new Set(held).size, held.length, `${context}: a grant is held twice: ${held.join(", ")}`);
  const unknown = held.filter((g) => !recorded.includes(g));
  assert.deepEqual(
    unknown,
    [],
    `${context}: the sandbox holds grants that state does not record (state: ${recorded.join(", ") || "nothing"})`,
  );
  if (exact) assert.deepEqual(held, recorded, `${context}: state records grants the sandbox does not hold`);
}
