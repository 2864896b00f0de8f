/**
 * Which live RoleAssignment holds which grant, as far as this provider host process knows. One host serves
 * every RoleAssignment of a deployment, and the engine deletes removed resources after the program's
 * creates and updates, so when a rename or a move deletes the old resource, the new one has already
 * claimed the grant here: the delete then leaves it in place instead of revoking access someone keeps.
 *
 * A claim is recorded only where state records the grant for its resource (a create or update that
 * succeeded or was recorded as a partial failure, a refresh that found it held, a diff that leaves the
 * resource as it is), so a grant left in place is always one that some resource's destroy still revokes.
 * Claims end with their resource (its delete, a refresh that finds it gone, an update that drops the role).
 */
import { grantsOf, roleKey, type AssignmentScope, type Grant, type Role } from "../integrations/grants";
import { isKnownIntegration, RULES, type IntegrationRule } from "../integrations/rules";

/** A resource that claims grants: its id in state, and its Pulumi name when known (for messages). */
export interface Claimant {
  id: string;
  name?: string;
}

interface Entry {
  /** When it was recorded, in this process's order of records. */
  seq: number;
  claimant: Claimant;
  account: string;
  user: string;
  grants: Grant[];
}

const entries = new Map<string, Entry>();
let recorded = 0;

const accountOf = (scope: AssignmentScope): string => scope.integratedAccountId.trim().toLowerCase();

/** Records that `claimant` holds exactly the grants of `roles` in `scope` (replacing what it claimed before). */
export function recordClaim(claimant: Claimant, rule: IntegrationRule, scope: AssignmentScope, roles: readonly Role[]): void {
  if (!claimant.id) return;
  const grants = roles.flatMap((r) => grantsOf(rule, scope, r));
  if (grants.length === 0) return void entries.delete(claimant.id);
  entries.set(claimant.id, { seq: ++recorded, claimant, account: accountOf(scope), user: scope.userId, grants });
}

/** Records the claims of a resource whose diff found no change, from the state it keeps (`olds`). */
export function claimUnchanged(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): void {
  const slug = olds.integration;
  if (
    typeof slug !== "string" ||
    !isKnownIntegration(slug) ||
    typeof olds.integratedAccountId !== "string" ||
    typeof olds.userId !== "string"
  )
    return;
  if (!Array.isArray(olds.roles)) return;
  const name =
    typeof news.resourceName === "string" ? news.resourceName : typeof olds.resourceName === "string" ? olds.resourceName : undefined;
  const scope = {
    integratedAccountId: olds.integratedAccountId,
    userId: olds.userId,
    workspaceId: olds.workspaceId as string | undefined,
    organizations: olds.organizations as AssignmentScope["organizations"],
  };
  // An expired role is no longer access this resource holds (activeRoles is absent in older state).
  recordClaim({ id, name }, RULES[slug], scope, (Array.isArray(olds.activeRoles) ? olds.activeRoles : olds.roles) as Role[]);
}

/** Ends every claim of the resource `id`. */
export function releaseClaim(id: string): void {
  entries.delete(id);
}

/** Forgets every claim (for tests that run many deployments in one process). */
export function resetClaims(): void {
  entries.clear();
}

/** A grant another live resource holds, and which resources hold it. */
export interface KeptGrant {
  grant: Grant;
  by: Claimant[];
}

/**
 * The grants of the user in `scope` that resources other than `id` claim and `accept` accepts (by default:
 * all of them), one entry per grant.
 *
 * Only claims recorded after `id`'s own latest record count. In one deployment a resource being removed is
 * not seen before its delete (or only by a refresh, which precedes every create and update), so there this
 * excludes nothing; but drivers that run several deployments through one host (tools/engine, the test
 * harnesses) can hold claims of resources of an earlier, unrelated run, which must never stop a revoke.
 */
export function claimedByOthers(id: string, scope: AssignmentScope, accept: (g: Grant) => boolean = () => true): KeptGrant[] {
  const account = accountOf(scope);
  const since = entries.get(id)?.seq ?? 0;
  const out = new Map<string, KeptGrant>();
  for (const e of entries.values()) {
    if (e.claimant.id === id || e.seq <= since || e.account !== account || e.user !== scope.userId) continue;
    for (const grant of e.grants) {
      if (!accept(grant)) continue;
      const key = roleKey(grant);
      const kept = out.get(key) ?? { grant, by: [] };
      kept.by.push(e.claimant);
      out.set(key, kept);
    }
  }
  return [...out.values()];
}

/** How a claimant is named in messages: its Pulumi name, else its id. */
export function claimantName(c: Claimant): string {
  return c.name ? `"${c.name}"` : `the assignment ${c.id}`;
}

// Writes to one user run one at a time in this process, so a delete that checks the claims and then
// revokes cannot interleave with a create that adopts the same role (the create would confirm a role the
// revoke then takes away).
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier `exclusive` call for the same user of the same account has settled. */
export function exclusive<T>(scope: AssignmentScope, fn: () => Promise<T>): Promise<T> {
  const key = JSON.stringify([accountOf(scope), scope.userId]);
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
