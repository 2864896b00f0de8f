/**
 * Which roles deserve a second look in review: those whose id or name contains one of a list of words.
 */
import type { Role } from "./roles";

/** Words that mark a role as privileged unless the caller passes its own list. */
export const DEFAULT_PRIVILEGED: readonly string[] = ["admin", "owner", "superuser", "security", "billing"];

/** Lower-cases, trims and drops empty entries, so `--privileged "Admin, ,owner"` means what it says. */
export function normalizePrivileged(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map((p) => p.trim().toLowerCase()).filter((p) => p !== ""))];
}

/** A predicate that is true when a role's id or name contains any of `patterns`, ignoring case. */
export function privilegedMatcher(patterns: readonly string[]): (role: Role) => boolean {
  const words = normalizePrivileged(patterns);
  return (role) => {
    const haystacks = [role.id, role.name ?? ""].map((s) => s.toLowerCase());
    return words.some((w) => haystacks.some((h) => h.includes(w)));
  };
}
