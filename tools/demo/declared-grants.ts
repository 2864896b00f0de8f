/**
 * The concrete grants a program's RoleAssignments declare, and which of them the sandbox shows held,
 * so the demo checks its result against the app's state rather than against provider answers.
 */
import type { RegisteredResource } from "../engine/program";
import { grantsOf, isHeld, roleKey, type Grant, type Organization, type Role } from "../../src/integrations/grants";
import { isKnownIntegration, RULES } from "../../src/integrations/rules";
import type { SandboxState } from "../../src/sandbox";

/** One role in one scope for one user of one integrated account, and the resource that declares it. */
export interface DeclaredGrant {
  resource: string;
  accountId: string;
  userId: string;
  grant: Grant;
  /** For messages: the role's label and scope. */
  label: string;
}

/** Every grant the resources declare (resources of unknown integrations declare none). */
export function declaredGrants(resources: readonly RegisteredResource[]): DeclaredGrant[] {
  return resources.flatMap((resource) => {
    const i = resource.inputs;
    if (typeof i.integration !== "string" || !isKnownIntegration(i.integration) || !Array.isArray(i.roles)) return [];
    const scope = {
      integratedAccountId: String(i.integratedAccountId),
      userId: String(i.userId),
      workspaceId: typeof i.workspaceId === "string" ? i.workspaceId : undefined,
      organizations: Array.isArray(i.organizations) ? (i.organizations as Organization[]) : undefined,
    };
    return (i.roles as Role[]).flatMap((role) =>
      grantsOf(RULES[i.integration as keyof typeof RULES], scope, role).map((grant) => ({
        resource: resource.name,
        accountId: scope.integratedAccountId,
        userId: scope.userId,
        grant,
        label: `${role.name ?? role.id}${grant.workspace ? ` in ${grant.workspace}` : ""}${grant.organization ? ` in ${grant.organization}` : ""}`,
      })),
    );
  });
}

const grantId = (g: DeclaredGrant) => JSON.stringify([g.accountId.toLowerCase(), g.userId, roleKey(g.grant)]);

/** The grants once each (by account, user and grant), keeping the first resource that declares one. */
export function uniqueGrants(grants: readonly DeclaredGrant[]): DeclaredGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => !seen.has(grantId(g)) && Boolean(seen.add(grantId(g))));
}

/** Grants in `a` that `b` does not declare for the same account and user (what a change retires). */
export function grantsMissingFrom(a: readonly DeclaredGrant[], b: readonly DeclaredGrant[]): DeclaredGrant[] {
  const keep = new Set(b.map(grantId));
  return a.filter((g) => !keep.has(grantId(g)));
}

/** Whether the sandbox shows `g` held by its user. */
export function isGrantHeld(state: SandboxState, g: DeclaredGrant): boolean {
  const user = state.users.find((u) => u.accountId.toLowerCase() === g.accountId.toLowerCase() && u.id === g.userId);
  return user !== undefined && isHeld(g.grant, user.roles);
}
