/**
 * `diff`: a pure, readable table of which input changes update in place, which replace, and when a
 * replacement must delete the old assignment first. It never calls the API.
 */
import { isKnownIntegration, RULES } from "../integrations/rules";
import { grantsOf, isHeld, roleKey, type Grant, type Organization, type Role } from "../integrations/grants";
import { containsUnknown } from "./unknowns";
import { expiredKeys, hasExpired } from "./expiry";

/** How a change to each input is applied. */
export const CHANGE_TABLE = {
  integratedAccountId: "replace",
  integration: "replace",
  userId: "replace",
  workspaceId: "replace",
  organizations: "replace",
  roles: "update",
  // Renewing (or shortening) access: no API call while the roles stay active; see expiryChange.
  expiresAt: "update-no-call",
  remoteData: "update-no-call",
  remoteQuery: "update-no-call",
  // What a later destroy does; changing it only changes what state records.
  onDelete: "update-no-call",
  // Read when a revoke would leave a protected role without a holder; changing it records the choice.
  allowLastHolder: "update-no-call",
} as const;

/** What the engine is told. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

type Props = Record<string, unknown>;

function canonical(key: string, v: unknown): string {
  // Leaving onDelete out means its default.
  if (key === "onDelete") return stableJson(v ?? "revoke");
  if (key === "allowLastHolder") return stableJson(v ?? false);
  if (v === undefined || v === null) return "";
  if (key === "organizations" && Array.isArray(v)) {
    // An organization's name is a label; the ids are the scope.
    return JSON.stringify((v as Organization[]).map((o) => o.id).sort());
  }
  // A role's expiresAt is not its identity, but editing it is a change (an update without an API call).
  if (key === "roles" && Array.isArray(v)) return JSON.stringify((v as Role[]).map((r) => `${roleKey(r)}@${r.expiresAt ?? ""}`).sort());
  if (key === "integratedAccountId" && typeof v === "string") return v.toLowerCase();
  return stableJson(v);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Props)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "";
}

function changed(key: string, olds: Props, news: Props): boolean {
  if (containsUnknown(news[key])) return true;
  return canonical(key, olds[key]) !== canonical(key, news[key]);
}

function grantsFor(props: Props): Grant[] | undefined {
  const slug = props.integration;
  if (typeof slug !== "string" || !isKnownIntegration(slug) || !Array.isArray(props.roles)) return undefined;
  const scope = {
    integratedAccountId: String(props.integratedAccountId),
    userId: String(props.userId),
    workspaceId: props.workspaceId as string | undefined,
    organizations: props.organizations as Organization[] | undefined,
  };
  return (props.roles as Role[]).flatMap((r) => grantsOf(RULES[slug], scope, r));
}

/**
 * Whether the old and new assignment overlap, so create-before-delete would grant and then revoke the
 * same access: same account and user, and a shared grant — or, where revocation is scope-wide (Elastic
 * Cloud), a shared organization. Unknown values count as overlapping: the safe order is delete first.
 */
export function overlaps(olds: Props, news: Props): boolean {
  if (["integratedAccountId", "userId", "integration", "workspaceId", "organizations", "roles"].some((k) => containsUnknown(news[k]))) {
    return true;
  }
  if (canonical("integratedAccountId", olds.integratedAccountId) !== canonical("integratedAccountId", news.integratedAccountId))
    return false;
  if (olds.userId !== news.userId) return false;
  const oldSlug = olds.integration;
  if (typeof oldSlug === "string" && isKnownIntegration(oldSlug) && RULES[oldSlug].revokes === "whole-scope") {
    const oldOrgs = ((olds.organizations as Organization[] | undefined) ?? []).map((o) => o.id);
    const newOrgs = ((news.organizations as Organization[] | undefined) ?? []).map((o) => o.id);
    // No organizations means every organization.
    if (oldOrgs.length === 0 || newOrgs.length === 0 || oldOrgs.some((o) => newOrgs.includes(o))) return true;
  }
  const oldGrants = grantsFor(olds);
  const newGrants = grantsFor(news);
  if (!oldGrants || !newGrants) return true;
  const oldKeys = new Set(oldGrants.map(roleKey));
  return newGrants.some((g) => oldKeys.has(roleKey(g)));
}

/**
 * Whether time alone changed what the resource must hold at `now`: a declared role whose deadline has
 * passed that state does not yet record as expired, or still records as held (the update revokes it), or
 * one state records as expired that is active again (the update grants it). Roles are matched by
 * identity, without expiresAt.
 */
export function expiryChange(olds: Props, news: Props, now: number): boolean {
  if (!Array.isArray(news.roles) || containsUnknown(news.roles) || containsUnknown(news.expiresAt)) return false;
  const recorded = expiredKeys(olds.expiredRoles);
  const held = Array.isArray(olds.heldRoles) ? (olds.heldRoles as Grant[]) : [];
  const resourceExpiry = news.expiresAt as string | undefined;
  return (news.roles as Role[]).some((r) =>
    hasExpired(r, resourceExpiry, now) ? !recorded.has(roleKey(r)) || isHeld(r, held) : recorded.has(roleKey(r)),
  );
}

/**
 * Compares old outputs with new checked inputs at `now` (injected, so diff stays pure). A change to the
 * provider code alone is no change.
 */
export function diffInputs(olds: Props, news: Props, now: number = Date.now()): DiffResult {
  const replaces = Object.entries(CHANGE_TABLE)
    .filter(([key, how]) => how === "replace" && changed(key, olds, news))
    .map(([key]) => key);
  const updates =
    Object.entries(CHANGE_TABLE).some(([key, how]) => how !== "replace" && changed(key, olds, news)) || expiryChange(olds, news, now);
  return {
    changes: replaces.length > 0 || updates,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && overlaps(olds, news),
  };
}
