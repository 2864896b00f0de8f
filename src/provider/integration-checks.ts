/**
 * The rules of `check` that depend on the integration (the rules table) and on several inputs at once: which
 * scope an integration needs or refuses, which role fields its read-back can confirm, what fits one request,
 * and which roles mean the same grant twice.
 */
import {
  INTEGRATIONS,
  RESERVED_REMOTE_QUERY_KEYS,
  ROLE_SCOPE_FIELDS,
  RULES,
  isKnownIntegration,
  type IntegrationRule,
  type RoleScopeField,
} from "../integrations/rules";
import { grantsOf, roleKey, strip, type Grant, type Organization, type Role } from "../integrations/grants";
import { MAX_SINGLE_ROLE_QUERY_BYTES, singleRoleQueryBytes } from "../truto/request-size";
import { didYouMean } from "./did-you-mean";
import type { CheckFailure } from "./inputs";
import { containsUnknown, isUnknown } from "./unknowns";

/**
 * The inputs as the schema accepted them: each field validated, or Pulumi's unknown sentinel, or absent. Typed
 * loosely on purpose (each rule narrows what it reads), so these rules need none of the schema's types.
 */
export interface ParsedInputs {
  readonly integratedAccountId?: unknown;
  readonly integration?: unknown;
  readonly userId?: unknown;
  readonly workspaceId?: unknown;
  readonly organizations?: unknown;
  readonly roles?: unknown;
  readonly expiresAt?: unknown;
  readonly remoteQuery?: unknown;
  readonly [field: string]: unknown;
}

/** Whether `v` is given and holds no unknown value (a rule on it can run). */
export function known<T>(v: T): v is Exclude<T, undefined> {
  return v !== undefined && !containsUnknown(v);
}

/** Rules that depend on the integration, the table and on several fields at once. */
export function crossFieldFailures(v: ParsedInputs): CheckFailure[] {
  const out: CheckFailure[] = [];
  const roles = Array.isArray(v.roles) ? (v.roles as unknown[]) : [];
  if (Array.isArray(v.organizations)) {
    const ids = new Map<string, number>();
    (v.organizations as unknown[]).forEach((o, i) => {
      if (!known(o)) return;
      const id = (o as Organization).id;
      if (ids.has(id)) out.push({ property: `organizations[${i}]`, reason: `duplicates organizations[${ids.get(id)}]; remove one.` });
      else ids.set(id, i);
    });
  }
  if (known(v.remoteQuery)) {
    for (const key of Object.keys(v.remoteQuery as object)) {
      if ((RESERVED_REMOTE_QUERY_KEYS as readonly string[]).includes(key)) {
        out.push({
          property: `remoteQuery.${key}`,
          reason: `"${key}" identifies the call itself and cannot be overridden through remoteQuery; use the resource's own inputs.`,
        });
      } else if (/[[\]]/.test(key)) {
        out.push({ property: `remoteQuery.${key}`, reason: "keys may not contain [ or ]; nest objects instead." });
      }
    }
  }

  if (!known(v.integration)) return [...out, ...duplicateFailures(v)];
  const slug = v.integration as string;
  if (!isKnownIntegration(slug)) {
    const guess = didYouMean(slug, INTEGRATIONS);
    out.push({
      property: "integration",
      reason: `"${slug}" is not supported${guess ? `; did you mean "${guess}"?` : "."} Truto documents unassign-role for these integrations only, and access that cannot be revoked is never granted: ${INTEGRATIONS.join(", ")}.`,
    });
    return [...out, ...duplicateFailures(v)];
  }
  const rule = RULES[slug];
  if (rule.requiredInputs.includes("workspaceId") && v.workspaceId === undefined) {
    out.push({
      property: "workspaceId",
      reason: `${rule.displayName} needs workspaceId: the workspace (team) id the roles apply in, e.g. "T0123ABCD".`,
    });
  }
  if (rule.requiredInputs.includes("organizations") && v.organizations === undefined) {
    out.push({
      property: "organizations",
      reason: `${rule.displayName} needs organizations: its unassign-role revokes every role in the organizations given, and in all of them when none is given. Name the organizations this assignment manages.`,
    });
  }
  if (rule.roleScope !== "workspace" && v.workspaceId !== undefined) {
    out.push({ property: "workspaceId", reason: `${rule.displayName} has no workspace scope; remove workspaceId.` });
  }
  if (rule.roleScope !== "organization" && v.organizations !== undefined) {
    out.push({ property: "organizations", reason: `${rule.displayName} has no organization scope; remove organizations.` });
  }
  const refused = new Set<number>();
  roles.forEach((r, i) => {
    if (!r || typeof r !== "object") return;
    const role = r as Role;
    for (const field of ROLE_SCOPE_FIELDS) {
      if (role[field] === undefined || rule.confirmableRoleFields.includes(field)) continue;
      refused.add(i);
      out.push({ property: `roles[${i}].${field}`, reason: unconfirmableReason(rule, field) });
    }
    const bytes =
      known(role) && known(v.userId) && [v.workspaceId, v.organizations, v.remoteQuery].every((x) => !containsUnknown(x))
        ? writeBytes(v, role)
        : 0;
    if (bytes > MAX_SINGLE_ROLE_QUERY_BYTES) {
      out.push({
        property: `roles[${i}]`,
        reason: `a write carrying this role alone needs ${bytes} bytes of query string (its ids, userId, workspaceId, organizations and remoteQuery, URL-encoded), more than the ${MAX_SINGLE_ROLE_QUERY_BYTES} that fit one request; shorten them.`,
      });
    }
    if (rule.roleScope === "workspace" && known(role.workspace) && known(v.workspaceId) && role.workspace !== v.workspaceId) {
      out.push({
        property: `roles[${i}].workspace`,
        reason: `must equal workspaceId ("${v.workspaceId}") or be left out; one resource manages one workspace.`,
      });
    }
    if (rule.roleScope === "organization" && known(role.organization) && known(v.organizations)) {
      const ids = (v.organizations as Organization[]).map((o) => o.id);
      if (!ids.includes(role.organization)) {
        out.push({ property: `roles[${i}].organization`, reason: `must be one of the organizations (${ids.join(", ")}) or be left out.` });
      }
    }
  });
  return [...out, ...duplicateFailures(v, rule, refused)];
}

function writeBytes(v: ParsedInputs, role: Role): number {
  const scope = {
    userId: v.userId as string,
    workspaceId: v.workspaceId as string | undefined,
    organizations: v.organizations as Organization[] | undefined,
  };
  return singleRoleQueryBytes({ ...scope, remoteQuery: v.remoteQuery as Record<string, unknown> | undefined }, role);
}

const PLURAL: Record<RoleScopeField, string> = { group: "groups", organization: "organizations", workspace: "workspaces" };

/** Why a role may not name a scope field the integration's read-back cannot report. */
function unconfirmableReason(rule: IntegrationRule, field: RoleScopeField): string {
  const article = field === "organization" ? "an" : "a";
  const scoped =
    rule.roleScope === "workspace"
      ? ` (${rule.displayName} roles are held in the resource's workspaceId)`
      : rule.roleScope === "organization"
        ? ` (${rule.displayName} roles are held in the resource's organizations, or a role's own organization)`
        : "";
  return `${rule.displayName}'s read-back does not report ${PLURAL[field]}, so a grant in ${article} ${field} could never be confirmed or revoked safely; remove ${field}${scoped}.`;
}

function describeGrant(g: Grant): string {
  const scope = ROLE_SCOPE_FIELDS.filter((f) => g[f] !== undefined).map((f) => `${f} "${g[f]}"`);
  return `"${g.id}"${scope.length ? ` in ${scope.join(", ")}` : ""}`;
}

/**
 * Roles that mean the same access twice, judged once a redundant scope is stripped (a Slack role naming the
 * resource's own workspace) and, where the integration is known, on the grants each stands for (an Elastic
 * role without an organization already covers every organization). Roles refused for another reason are left
 * to that failure.
 */
function duplicateFailures(v: ParsedInputs, rule?: IntegrationRule, skip: ReadonlySet<number> = new Set()): CheckFailure[] {
  if (!Array.isArray(v.roles)) return [];
  const raw = v.roles as Role[];
  const normal = (withoutRedundantScope(v).roles as Role[]).map((r) => (r && typeof r === "object" ? strip(r) : r));
  const scopeKnown = rule !== undefined && !containsUnknown(v.workspaceId) && !containsUnknown(v.organizations);
  const scope = {
    integratedAccountId: "",
    userId: "",
    workspaceId: v.workspaceId as string | undefined,
    organizations: v.organizations as Organization[] | undefined,
  };
  const byKey = new Map<string, number>();
  const byGrant = new Map<string, number>();
  const out: CheckFailure[] = [];
  normal.forEach((role, i) => {
    if (!known(role) || typeof role !== "object" || skip.has(i)) return;
    const first = byKey.get(roleKey(role));
    if (first !== undefined) {
      const redundant = roleKey(strip(raw[i])) !== roleKey(strip(raw[first]));
      const why = redundant
        ? `: one of them names workspace "${String(v.workspaceId)}", the resource's own workspaceId, which every role of this resource is held in anyway`
        : " (same id, group, organization and workspace)";
      out.push({ property: `roles[${i}]`, reason: `duplicates roles[${first}]${why}; remove one.` });
      return;
    }
    byKey.set(roleKey(role), i);
    if (!scopeKnown) return;
    for (const grant of grantsOf(rule, scope, role)) {
      const other = byGrant.get(roleKey(grant));
      if (other !== undefined) {
        out.push({
          property: `roles[${i}]`,
          reason: `grants ${describeGrant(grant)}, which roles[${other}] already grants; remove one of them.`,
        });
        return;
      }
    }
    for (const grant of grantsOf(rule, scope, role)) byGrant.set(roleKey(grant), i);
  });
  return out;
}

/** A Slack role that names the resource's own workspace says nothing more than one that does not. */
export function withoutRedundantScope<T extends ParsedInputs>(v: T): T {
  if (typeof v.integration !== "string" || !isKnownIntegration(v.integration) || RULES[v.integration].roleScope !== "workspace") return v;
  if (!Array.isArray(v.roles) || isUnknown(v.workspaceId)) return v;
  const roles = (v.roles as Role[]).map((r) =>
    r && typeof r === "object" && r.workspace === v.workspaceId ? { ...r, workspace: undefined } : r,
  );
  return { ...v, roles };
}
