/**
 * Time-bound access: a role's `expiresAt` (or the resource's, for roles without their own) is the instant
 * the role stops being declared access. Pure functions; every caller passes the clock (`now`, ms since the
 * epoch), so check and diff stay deterministic and testable.
 */
import { roleKey, type Grant, type Role } from "../integrations/grants";

/** The format every error message shows. */
export const EXPIRY_EXAMPLE = "2026-12-08T17:00:00Z";

// Date and time, optional seconds and fraction, and an explicit offset: a time without one would mean
// something different on every machine that reads it.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * `text` as the canonical UTC form (`2026-12-08T17:00:00Z`, milliseconds only when not zero), or undefined
 * when it is not an ISO 8601 date and time with an offset, or names a day or time that does not exist.
 */
export function canonicalInstant(text: string): string | undefined {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // 2026-02-30 parses (as March 2nd) in some engines: the day must exist in its month.
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const ms = Date.parse(text.trim().toUpperCase());
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** When `role` expires: its own `expiresAt`, else the resource's, else never (undefined). */
export function effectiveExpiry(role: Role, resourceExpiresAt: string | undefined): string | undefined {
  return role.expiresAt ?? resourceExpiresAt;
}

/** Whether `role` has expired at `now`: its deadline is at or before `now`. */
export function hasExpired(role: Role, resourceExpiresAt: string | undefined, now: number): boolean {
  const at = effectiveExpiry(role, resourceExpiresAt);
  return at !== undefined && Date.parse(at) <= now;
}

/** A declared role whose time has passed, with the instant it expired (output `expiredRoles`). */
export type ExpiredRole = Role & { expiredAt: string };

/** An expired role as the program declares it (without `expiredAt`). */
export function declaredRole({ expiredAt: _, ...role }: ExpiredRole): Role {
  return role;
}

/** The declared roles split into those still active at `now` and those expired, with when. */
export function splitByExpiry(
  roles: readonly Role[],
  resourceExpiresAt: string | undefined,
  now: number,
): { active: Role[]; expired: ExpiredRole[] } {
  const active: Role[] = [];
  const expired: ExpiredRole[] = [];
  for (const role of roles) {
    if (hasExpired(role, resourceExpiresAt, now)) expired.push({ ...role, expiredAt: effectiveExpiry(role, resourceExpiresAt) as string });
    else active.push(role);
  }
  return { active, expired };
}

/** The keys of the roles a state's `expiredRoles` output lists (none for state written before expiry existed). */
export function expiredKeys(expiredRoles: unknown): Set<string> {
  return new Set(Array.isArray(expiredRoles) ? (expiredRoles as Grant[]).filter((r) => r && typeof r.id === "string").map(roleKey) : []);
}
