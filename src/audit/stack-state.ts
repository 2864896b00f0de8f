/**
 * The RoleAssignments a stack manages, read from `pulumi stack export` JSON: each one's account, user,
 * scope and its active and expired roles, from the outputs the last `pulumi up` or refresh recorded.
 */
import { z } from "zod";
import { isKnownIntegration, type IntegrationSlug } from "../integrations/rules";
import type { Organization, Role } from "../integrations/grants";
import { ROLE_ASSIGNMENT_TYPE } from "../review/resource-changes";

/** One RoleAssignment as the stack last recorded it. */
export interface ManagedAssignment {
  readonly urn: string;
  /** The resource's name (the URN's last part). */
  readonly name: string;
  readonly integratedAccountId: string;
  readonly integration: IntegrationSlug;
  readonly userId: string;
  readonly workspaceId?: string;
  readonly organizations?: readonly Organization[];
  /** The declared roles that were not expired: the access the stack grants. */
  readonly active: readonly Role[];
  /** Declared roles past their expiry: the stack revokes them, so holding one is out of band. */
  readonly expired: readonly Role[];
  readonly user?: { readonly name?: string; readonly email?: string };
}

/** A RoleAssignment whose outputs could not be read (secret or missing fields), so it was not audited. */
export interface UnreadableAssignment {
  readonly urn: string;
  readonly why: string;
}

/** Bad input: not a stack export. Exit 2. */
export class StackExportError extends Error {
  override readonly name = "StackExportError";
}

const text = z.string().min(1);
const role = z.looseObject({
  id: text,
  name: z.string().optional(),
  group: z.string().optional(),
  organization: z.string().optional(),
  workspace: z.string().optional(),
});
const outputs = z.looseObject({
  integratedAccountId: text,
  integration: text,
  userId: text,
  workspaceId: text.optional(),
  organizations: z.array(z.looseObject({ id: text, name: z.string().optional() })).optional(),
  roles: z.array(role),
  activeRoles: z.array(role).optional(),
  expiredRoles: z.array(role).optional(),
  user: z.looseObject({ name: z.string().optional(), email: z.string().optional() }).optional(),
});
const resource = z.looseObject({ urn: z.string(), type: z.string(), outputs: z.unknown().optional(), delete: z.boolean().optional() });
const stackExport = z.looseObject({ deployment: z.looseObject({ resources: z.array(resource).nullish() }) });

const plainRole = (r: z.infer<typeof role>): Role =>
  Object.fromEntries(
    Object.entries({ id: r.id, name: r.name, group: r.group, organization: r.organization, workspace: r.workspace }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as unknown as Role;

/** The RoleAssignments in a parsed `pulumi stack export` document; `source` names it in errors. */
export function managedAssignments(json: unknown, source: string): { managed: ManagedAssignment[]; unreadable: UnreadableAssignment[] } {
  const doc = stackExport.safeParse(json);
  if (!doc.success)
    throw new StackExportError(
      `${source} is not a stack export (no deployment.resources); pass the JSON printed by \`pulumi stack export\`.`,
    );
  const managed: ManagedAssignment[] = [];
  const unreadable: UnreadableAssignment[] = [];
  for (const r of doc.data.deployment.resources ?? []) {
    // `delete: true` is the old half of a replacement still pending deletion; its new half is audited.
    if (r.type !== ROLE_ASSIGNMENT_TYPE || r.delete) continue;
    const o = outputs.safeParse(r.outputs);
    if (!o.success) {
      const fields = [...new Set(o.error.issues.map((i) => String(i.path[0] ?? "outputs")))].join(", ");
      unreadable.push({ urn: r.urn, why: `its ${fields} could not be read (missing, secret or not in the shape the resource writes)` });
      continue;
    }
    const out = o.data;
    if (!isKnownIntegration(out.integration)) {
      unreadable.push({ urn: r.urn, why: `its integration "${out.integration}" is not one this package knows` });
      continue;
    }
    const active = (out.activeRoles ?? out.roles).map(plainRole);
    managed.push({
      urn: r.urn,
      name: r.urn.split("::").pop() ?? r.urn,
      integratedAccountId: out.integratedAccountId,
      integration: out.integration,
      userId: out.userId,
      ...(out.workspaceId !== undefined ? { workspaceId: out.workspaceId } : {}),
      ...(out.organizations
        ? { organizations: out.organizations.map((g) => (g.name !== undefined ? { id: g.id, name: g.name } : { id: g.id })) }
        : {}),
      active,
      expired: (out.expiredRoles ?? []).map(plainRole),
      ...(out.user
        ? { user: { ...(out.user.name ? { name: out.user.name } : {}), ...(out.user.email ? { email: out.user.email } : {}) } }
        : {}),
    });
  }
  return { managed, unreadable };
}

/** `text` parsed as JSON, or a StackExportError naming `source`. */
export function parseStackExportText(content: string, source: string): unknown {
  try {
    return JSON.parse(content);
  } catch (err) {
    throw new StackExportError(`${source} is not JSON (${(err as Error).message}); pass the JSON printed by \`pulumi stack export\`.`);
  }
}
