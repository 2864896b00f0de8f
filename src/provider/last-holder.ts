/**
 * The last-holder guard: a revoke never leaves a protected role with nobody holding it in its scope (the
 * account, a Slack workspace, an Elastic organization), unless the resource says `allowLastHolder: true`.
 * An account whose last administrator was revoked by a `pulumi destroy` can only be repaired by the vendor's
 * support; Azure refuses to delete the last RBAC owner for the same reason (anchors-notes.md, "last admins").
 *
 * Protected: a role whose id, declared name or vendor name (integrations/known-roles.ts) contains one of the
 * review's privileged words (admin, owner, …) or a word from `truto:protectedRoles` / `TRUTO_PROTECTED_ROLES`.
 *
 * Other holders are counted from the list endpoints, paged and governed like every call: `role_assignments`
 * where that is how the integration reads roles back (Slack Enterprise), users with their roles elsewhere.
 * Only an active user counts (Truto's unified user `status` is active, inactive, deleted or invited;
 * truto-api-notes.md, "Unified user object"), or one whose app reports no status. A listing that fails is
 * a refusal: the guard never lets a revoke through on what it could not see.
 */
import { knownRole } from "../integrations/known-roles";
import { confirmable, grantsOf, isHeld, roleKey, type Grant, type Role } from "../integrations/grants";
import type { IntegrationRule } from "../integrations/rules";
import { DEFAULT_PRIVILEGED, normalizePrivileged } from "../review/privileged";
import type { TrutoClient } from "../truto/client";
import { TrutoError, TrutoErrorCodes, isTrutoError } from "../truto/errors";
import { findUser, getUser, grantOfAssignment, grantsOfUser, listRoleAssignments, type AssignmentRequest } from "../truto/user-directory";
import type { WireRoleAssignmentT } from "../truto/wire-types";
import { label, where } from "./describe";
import type { RoleAssignmentInputs } from "./inputs";

/** What the guard needs from the provider's configuration. */
export interface GuardContext {
  client: TrutoClient;
  /** Words that protect a role beyond {@link DEFAULT_PRIVILEGED}. */
  protectedRoles?: readonly string[];
}

/** How many other holders of a Slack role are looked up for their status before the guard gives up looking. */
const MAX_STATUS_LOOKUPS = 25;

/** The word that makes `role` protected, or undefined: matched in its id, its declared name and the vendor's name for it. */
export function protectedBy(words: readonly string[], integration: string, role: Role): string | undefined {
  const texts = [role.id, role.name, knownRole(integration, role.id)?.name]
    .filter((t): t is string => t !== undefined)
    .map((t) => t.toLowerCase());
  return normalizePrivileged([...DEFAULT_PRIVILEGED, ...words]).find((w) => texts.some((t) => t.includes(w)));
}

// One guarded revoke at a time per integrated account in this process: when two users are the last two
// holders of a role and both are revoked in one deployment, the second check runs after the first revoke
// and sees it. Taken inside the per-user lock (claims.ts `exclusive`), always in that order.
const accountLocks = new Map<string, Promise<void>>();

async function lockAccount(key: string): Promise<() => void> {
  const before = accountLocks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  accountLocks.set(key, tail);
  await before;
  return () => {
    release();
    if (accountLocks.get(key) === tail) accountLocks.delete(key);
  };
}

/** Counted as a holder: an active user, or one whose app reports no status. */
function active(status: string | null | undefined): boolean {
  return status === undefined || status === null || status === "" || status.toLowerCase() === "active";
}

/** Who holds `grant` now, as far as the guard needs to know: another active holder, if any, and whether the user does. */
interface Holders {
  other?: string;
  selfHolds: boolean;
}

/**
 * One fresh pass over the integration's listing: it names the user's own roles too, so no separate read of the
 * user is needed. Stops at the first other active holder (the user's own holding does not matter then).
 * `assignments` lists the workspace's role assignments (Slack Enterprise), once for all the grants of one revoke.
 */
async function holdersOf(
  client: TrutoClient,
  rule: IntegrationRule,
  req: AssignmentRequest,
  grant: Grant,
  assignments: () => Promise<WireRoleAssignmentT[]>,
): Promise<Holders> {
  const holds = (held: Grant[]) =>
    isHeld(
      grant,
      held.map((g) => confirmable(rule, g)),
    );
  if (rule.readBack === "user-roles") {
    let selfHolds = false;
    const other = await findUser(client, req.integratedAccountId, (u) => {
      if (u.id === req.userId) selfHolds = holds(grantsOfUser(u));
      return u.id !== req.userId && active(u.status) && holds(grantsOfUser(u));
    });
    return { other: other?.id, selfHolds };
  }
  // role_assignments rows carry no status: look the holders up, one at a time, until one is active.
  const rows = (await assignments()).filter((a) => holds([grantOfAssignment(a, req.workspaceId)]));
  const selfHolds = rows.some((a) => a.user_id === req.userId);
  const candidates = [...new Set(rows.filter((a) => a.user_id !== req.userId).map((a) => a.user_id))];
  for (const userId of candidates.slice(0, MAX_STATUS_LOOKUPS)) {
    const user = await getUser(client, { ...req, userId }, true, rule);
    if (user && active(user.status)) return { other: user.id, selfHolds };
  }
  return { selfHolds };
}

function scopeOf(grant: Grant): string {
  if (grant.workspace) return `in workspace ${grant.workspace}`;
  if (grant.organization) return `in organization ${grant.organization}`;
  return "anywhere in the account";
}

/** The refusal when the guard cannot see: `what` is refused because `because`; the cause is quoted. */
function unknownHolders(e: unknown, what: string, because: string, self: string, req: AssignmentRequest): TrutoError {
  const why = isTrutoError(e) ? e.message : String((e as Error)?.message ?? e);
  return new TrutoError(
    TrutoErrorCodes.holdersUnknown,
    `refusing to revoke ${what}: ${because}, so nothing was changed and the assignment stays in state. Fix the cause below and run again, or, to revoke without counting, ${override(self)}. ${why}`,
    { integratedAccountId: req.integratedAccountId, cause: e },
  );
}

function override(self: string): string {
  return `set \`allowLastHolder: true\` on RoleAssignment ${self} and run \`pulumi up\` (an update that makes no API call; destroy reads it from state), then run this again`;
}

/**
 * Refuses a revoke of `revoking` that would leave a protected role with no other holder in its scope, and
 * otherwise holds this account's guard lock until the returned release is called (after the revoke is
 * confirmed), so no other revoke in this process can remove the holder counted here in the meantime.
 * Nothing protected, or `allowLastHolder`: returns at once, with nothing to release.
 */
export async function guardLastHolders(
  ctx: GuardContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  i: RoleAssignmentInputs,
  revoking: readonly Role[],
  self: string,
): Promise<() => void> {
  if (i.allowLastHolder === true || revoking.length === 0) return () => {};
  const words = ctx.protectedRoles ?? [];
  const guarded = revoking.flatMap((role) => {
    const word = protectedBy(words, i.integration, role);
    return word === undefined ? [] : grantsOf(rule, req, role).map((grant) => ({ role, grant, word }));
  });
  if (guarded.length === 0) return () => {};
  const release = await lockAccount(`${ctx.client.baseUrl}|${req.integratedAccountId}`);
  try {
    const seen = new Set<string>();
    let rows: Promise<WireRoleAssignmentT[]> | undefined;
    const assignments = () => (rows ??= listRoleAssignments(ctx.client, req.integratedAccountId, req.workspaceId));
    for (const { role, grant, word } of guarded) {
      if (seen.has(roleKey(grant))) continue;
      seen.add(roleKey(grant));
      const what = `${label({ ...role, ...grant })} from ${where(rule, i)}`;
      let holders: Holders;
      try {
        holders = await holdersOf(ctx.client, rule, req, grant, assignments);
      } catch (e) {
        throw unknownHolders(
          e,
          `${what}, which is protected (matches "${word}")`,
          `who holds it ${scopeOf(grant)} could not be listed`,
          self,
          req,
        );
      }
      // Only what the user holds now can lose its last holder: a revoke of a role already gone, or of a user
      // already deleted, changes nothing and is never refused.
      if (holders.other === undefined && holders.selfHolds) {
        throw new TrutoError(
          TrutoErrorCodes.lastHolder,
          `refusing to revoke ${what}: nobody else active holds it ${scopeOf(grant)}, and it is protected (matches "${word}"), so the ${rule.displayName} account would be left without one. Nothing was changed. Grant it to someone else first, or, if no holder is intended, ${override(self)}.`,
          { integratedAccountId: req.integratedAccountId },
        );
      }
    }
    return release;
  } catch (e) {
    release();
    throw e;
  }
}
