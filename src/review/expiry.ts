/**
 * Time-bound access in review: which roles of a preview have expired (the `pulumi up` it previews revokes
 * them, or, planned later, the next one does), which expire soon, and which privileged grants have no expiry.
 * The clock is a parameter, so a review is reproducible.
 */
import type { AssignmentView } from "./assignment";
import { isComparable, reviewedRoleKey, type ReviewedRole } from "./roles";
import type { RoleExpiry } from "./types";

/** How many days ahead an expiry is called out by default (`--expiring-within`). */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 7;

const DAY_MS = 86_400_000;

/** Where `role` stands at `now`: expired, expiring within `withinDays`, or nothing worth saying. */
export function expiryOf(role: ReviewedRole, now: number, withinDays: number): RoleExpiry | undefined {
  if (role.expiresAt === undefined) return undefined;
  const at = Date.parse(role.expiresAt);
  if (Number.isNaN(at)) return undefined;
  if (at <= now) return { state: "expired", at: role.expiresAt };
  if (at - now > withinDays * DAY_MS) return undefined;
  return { state: "expiring", at: role.expiresAt, inDays: Math.max(1, Math.ceil((at - now) / DAY_MS)) };
}

/**
 * Roles both states declare whose access changes with time: `lapsed` have expired at `now` and the old
 * state did not record them as expired (the update revokes them); `renewed` are active again although the
 * old state recorded them as expired (the update grants them); `edited` are active before and after, with
 * another deadline (renewed, shortened, or given or relieved of one), which changes no access today.
 */
export function expiryChanges(
  old: AssignmentView,
  next: AssignmentView,
  now: number,
): { lapsed: ReviewedRole[]; renewed: ReviewedRole[]; edited: { role: ReviewedRole; from?: string; to?: string }[] } {
  if (!old.roles.known || !next.roles.known) return { lapsed: [], renewed: [], edited: [] };
  const before = new Map(old.roles.value.filter(isComparable).map((r) => [reviewedRoleKey(r), r]));
  const recorded = new Set(old.expired.map(reviewedRoleKey));
  const both = next.roles.value.filter((r) => isComparable(r) && before.has(reviewedRoleKey(r)));
  const expired = (r: ReviewedRole) => expiryOf(r, now, 0)?.state === "expired";
  const lapsed = both.filter((r) => expired(r) && !recorded.has(reviewedRoleKey(r)));
  const renewed = both.filter((r) => !expired(r) && recorded.has(reviewedRoleKey(r)));
  const edited = both
    .filter((r) => !expired(r) && !recorded.has(reviewedRoleKey(r)) && before.get(reviewedRoleKey(r))?.expiresAt !== r.expiresAt)
    .map((r) => ({ role: r, from: before.get(reviewedRoleKey(r))?.expiresAt, to: r.expiresAt }));
  return { lapsed, renewed, edited };
}

/** The roles of `view` that are still access: those its state has not recorded as expired. */
export function unexpiredRoles(view: AssignmentView): readonly ReviewedRole[] {
  if (!view.roles.known) return [];
  const recorded = new Set(view.expired.map(reviewedRoleKey));
  return view.roles.value.filter((r) => !isComparable(r) || !recorded.has(reviewedRoleKey(r)));
}
