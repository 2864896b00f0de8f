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
 *
 * At scale the checks share their listings: a Slack workspace's `role_assignments` listing is the one the
 * read-backs wait for (begun after the check asked), and other active holders seen by one check answer the
 * checks of the next second (EVIDENCE_MS). A refusal is always decided on a pass of its own. Revokes run
 * concurrently; what keeps two last holders revoked at once from both going is `letThrough`.
 */
import { knownRole } from "../integrations/known-roles";
import { confirmable, grantsOf, isHeld, roleKey, type Grant, type Role } from "../integrations/grants";
import type { IntegrationRule } from "../integrations/rules";
import { DEFAULT_PRIVILEGED, normalizePrivileged } from "../review/privileged";
import type { TrutoClient } from "../truto/client";
import { TrutoError, TrutoErrorCodes, isTrutoError } from "../truto/errors";
import { findUser, getUser, grantOfAssignment, grantsOfUser, workspaceAssignments, type AssignmentRequest } from "../truto/user-directory";
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

/**
 * Revokes this process has let through, per guarded grant of an account (`grantKey`): the users they revoke from.
 * Such a user never counts as another holder again in this process, whatever a listing shows (the revoke may be
 * in flight, or landed after the listing was taken). So when the last two holders of a role are revoked in one
 * deployment, both checks may read the same listing and still only one gets through: the second finds the first
 * here. Kept for the life of the process (one `pulumi` command), so it only ever errs towards refusing.
 */
const letThrough = new Map<string, Set<string>>();

/**
 * How long other active holders seen by one check may answer the checks that follow: a destroy of a thousand
 * assignments then lists holders about once a second per guarded role, not once per revoke. Only a positive
 * answer is reused (someone else active holds the role); a refusal is always decided on a listing of its own.
 */
export const EVIDENCE_MS = 1_000;
/** Another active holder of a grant (than the user whose check made the look), from a look that started at `at`. */
interface Evidence {
  at: number;
  holder: Promise<string | undefined>;
}
const evidence = new Map<string, Evidence>();

function grantKey(client: TrutoClient, req: AssignmentRequest, grant: Grant): string {
  return `${client.baseUrl}|${req.integratedAccountId}|${roleKey(grant)}`;
}

/**
 * The user was read back holding `roles` after a grant of this process (writes to one user run one at a time,
 * claims.ts): they count as a holder again, should an earlier revoke of the same role have been let through.
 */
export function heldAgain(client: TrutoClient, rule: IntegrationRule, req: AssignmentRequest, roles: readonly Role[]): void {
  for (const grant of roles.flatMap((r) => grantsOf(rule, req, r))) letThrough.get(grantKey(client, req, grant))?.delete(req.userId);
}

function passed(key: string): Set<string> {
  let set = letThrough.get(key);
  if (!set) letThrough.set(key, (set = new Set()));
  return set;
}

/** Counted as a holder: an active user, or one whose app reports no status. */
function active(status: string | null | undefined): boolean {
  return status === undefined || status === null || status === "" || status.toLowerCase() === "active";
}

/** Who holds `grant` now, as far as the guard needs to know: another active holder (if any), and whether the user does. */
interface Holders {
  other?: string;
  selfHolds: boolean;
}

/**
 * One fresh pass over the integration's listing: it names the user's own roles too, so no separate read of the
 * user is needed. Stops at the first other active holder (`skip` names who does not count); the user's
 * own holding is only known when the pass went to the end, which is the only time it matters.
 */
async function holdersOf(
  client: TrutoClient,
  rule: IntegrationRule,
  req: AssignmentRequest,
  grant: Grant,
  skip: (userId: string) => boolean,
  assignments: () => Promise<WireRoleAssignmentT[]>,
): Promise<Holders> {
  const holds = (held: Grant[]) =>
    isHeld(
      grant,
      held.map((g) => confirmable(rule, g)),
    );
  let other: string | undefined;
  let selfHolds = false;
  if (rule.readBack === "user-roles") {
    await findUser(client, req.integratedAccountId, (u) => {
      if (u.id === req.userId) selfHolds = holds(grantsOfUser(u));
      else if (!skip(u.id) && active(u.status) && holds(grantsOfUser(u))) other = u.id;
      return other !== undefined;
    });
    return { other, selfHolds };
  }
  // Slack Enterprise: the workspace's role_assignments, from a listing begun after this call (shared with the
  // read-backs and other checks waiting for one). Its rows carry no status: look the holders up, one at a time.
  const rows = (await assignments()).filter((a) => holds([grantOfAssignment(a, req.workspaceId)]));
  selfHolds = rows.some((a) => a.user_id === req.userId);
  const candidates = [...new Set(rows.map((a) => a.user_id).filter((id) => id !== req.userId && !skip(id)))];
  for (const userId of candidates.slice(0, MAX_STATUS_LOOKUPS)) {
    const user = await getUser(client, { ...req, userId }, true, rule);
    if (user && active(user.status)) return { other: user.id, selfHolds };
  }
  return { selfHolds };
}

/**
 * Another active holder of `grant` than the user, not let through to be revoked, or undefined (with whether the
 * user holds it). First from a recent shared look (see EVIDENCE_MS), else from a fresh pass of its own.
 */
async function otherHolder(
  ctx: GuardContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  grant: Grant,
  key: string,
  assignments: () => Promise<WireRoleAssignmentT[]>,
): Promise<{ other?: string; selfHolds: boolean }> {
  const gone = passed(key);
  const usable = (id: string) => id !== req.userId && !gone.has(id);
  // Shared only where reads are: per-resource reads (or the read cache off) make every check look for itself.
  const window = ctx.client.readCacheMs === 0 || ctx.client.readStrategy === "per-resource" ? 0 : EVIDENCE_MS;
  const seen = evidence.get(key);
  if (seen && Date.now() - seen.at < window) {
    const other = await seen.holder;
    if (other !== undefined && usable(other)) return { other, selfHolds: true };
  }
  const look = holdersOf(ctx.client, rule, req, grant, (id) => gone.has(id), assignments);
  if (window > 0) {
    const mine: Evidence = { at: Date.now(), holder: look.then((h) => h.other) };
    evidence.set(key, mine);
    mine.holder.catch(() => evidence.get(key) === mine && evidence.delete(key));
  }
  const { other, selfHolds } = await look;
  return { other: other !== undefined && usable(other) ? other : undefined, selfHolds };
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
 * Refuses a revoke of `revoking` that would leave a protected role with no other holder in its scope. A revoke it
 * lets through is recorded (see `letThrough`), so no other check in this process counts the user as a holder
 * again. Nothing protected, or `allowLastHolder`: returns at once.
 */
export async function guardLastHolders(
  ctx: GuardContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  i: RoleAssignmentInputs,
  revoking: readonly Role[],
  self: string,
): Promise<void> {
  if (i.allowLastHolder === true || revoking.length === 0) return;
  const words = ctx.protectedRoles ?? [];
  const byKey = new Map<string, { role: Role; grant: Grant; word: string }>();
  for (const role of revoking) {
    const word = protectedBy(words, i.integration, role);
    if (word === undefined) continue;
    for (const grant of grantsOf(rule, req, role)) byKey.set(grantKey(ctx.client, req, grant), { role, grant, word });
  }
  if (byKey.size === 0) return;
  const guarded = [...byKey];
  // Slack Enterprise: one fresh listing of the workspace's role_assignments for all the grants of this revoke
  // (narrowed, where the row allows, to the guarded roles and those of the reads it is shared with).
  let rows: Promise<WireRoleAssignmentT[]> | undefined;
  const roleIds = [...new Set(guarded.map(([, g]) => g.grant.id))];
  const assignments = () => (rows ??= workspaceAssignments(ctx.client, rule, req, true, roleIds));
  // Bounded: each further round means another revoke of this process took a holder counted here meanwhile.
  for (let round = 0; ; round++) {
    const found = await Promise.all(
      guarded.map(async ([key, { role, grant, word }]) => {
        try {
          return await otherHolder(ctx, rule, req, grant, key, assignments);
        } catch (e) {
          const what = `${label({ ...role, ...grant })} from ${where(rule, i)}`;
          throw unknownHolders(
            e,
            `${what}, which is protected (matches "${word}")`,
            `who holds it ${scopeOf(grant)} could not be listed`,
            self,
            req,
          );
        }
      }),
    );
    // From here to the end nothing waits, so no other check runs between this decision and its record.
    const raced = found.some((f, k) => f.other !== undefined && passed(guarded[k][0]).has(f.other));
    if (raced && round < 5) continue;
    guarded.forEach(([key, { role, grant, word }], k) => {
      const { other, selfHolds } = found[k];
      // Only what the user holds now can lose its last holder: a revoke of a role already gone, or of a user
      // already deleted, changes nothing and is never refused.
      if ((other === undefined || passed(key).has(other)) && selfHolds) {
        const what = `${label({ ...role, ...grant })} from ${where(rule, i)}`;
        throw new TrutoError(
          TrutoErrorCodes.lastHolder,
          `refusing to revoke ${what}: nobody else active holds it ${scopeOf(grant)}, and it is protected (matches "${word}"), so the ${rule.displayName} account would be left without one. Nothing was changed. Grant it to someone else first, or, if no holder is intended, ${override(self)}.`,
          { integratedAccountId: req.integratedAccountId },
        );
      }
    });
    for (const [key] of guarded) passed(key).add(req.userId);
    return;
  }
}
