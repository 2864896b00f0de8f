/**
 * Which roles deserve a second look in review. A role's id decides first: the integration's role table
 * (integrations/known-roles.ts) knows what the id grants and what the vendor calls it, whatever `name`
 * the program declares. Only an id the table does not know is judged by words in its id and name.
 */
import { knownRole, roleTableOf } from "../integrations/known-roles";
import type { ReviewedRole } from "./roles";

/** Words that mark a role as privileged when its id or name contains one; `--privileged` adds to them. */
export const DEFAULT_PRIVILEGED: readonly string[] = ["admin", "owner", "superuser", "security", "billing"];

/** Lower-cases, trims and drops empty entries, so `--privileged "Admin, ,owner"` means what it says. */
export function normalizePrivileged(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map((p) => p.trim().toLowerCase()).filter((p) => p !== ""))];
}

/** What the review knows about one role beyond its inputs. */
export interface RoleVerdict {
  readonly privileged: boolean;
  /** Why it is flagged: the role table knows the id as privileged, or a word matched. */
  readonly privilegedBy?: "role-table" | "word";
  /** `known`: the id is in the app's role table; `unknown`: the app has a table without it; `none`: no table (the app is unknown or hidden). */
  readonly catalog: "known" | "unknown" | "none";
  /** The vendor's name for the id, when the table knows it. */
  readonly knownName?: string;
  /** Set when the declared `name` is not the vendor's name for the id. */
  readonly mislabelled?: true;
}

/** A judge of roles in `integration` (undefined when hidden) that flags by id first, then by `words`. */
export function roleJudge(words: readonly string[]): (role: ReviewedRole, integration: string | undefined) => RoleVerdict {
  const normalized = normalizePrivileged(words);
  const matches = (...texts: (string | undefined)[]): boolean =>
    texts.some((t) => t !== undefined && normalized.some((w) => t.toLowerCase().includes(w)));
  return (role, integration) => {
    const known = integration === undefined ? undefined : knownRole(integration, role.id);
    if (known) {
      // The declared name is only a label: it cannot make a role privileged or hide that it is.
      const byTable = known.privileged;
      const privileged = byTable || matches(role.id, known.name);
      return {
        privileged,
        ...(privileged ? { privilegedBy: byTable ? "role-table" : "word" } : {}),
        catalog: "known",
        knownName: known.name,
        ...(role.name !== undefined && comparable(role.name) !== comparable(known.name) ? { mislabelled: true } : {}),
      };
    }
    const privileged = matches(role.id, role.name);
    const hasTable = integration !== undefined && roleTableOf(integration) !== undefined;
    return { privileged, ...(privileged ? { privilegedBy: "word" } : {}), catalog: hasTable ? "unknown" : "none" };
  };
}

// "Read-only", "read only" and " Read Only " name the same role; any other word does not.
function comparable(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
