/** How roles and assignments are named in the provider's messages. */
import type { IntegrationRule } from "../integrations/rules";
import type { Role } from "../integrations/grants";
import type { RoleAssignmentInputs } from "./inputs";

/** `user "U" in Slack Enterprise account A workspace T`: the assignment a message is about. */
export function where(rule: IntegrationRule, i: RoleAssignmentInputs): string {
  const scope = i.workspaceId
    ? ` workspace ${i.workspaceId}`
    : i.organizations?.length
      ? ` organizations ${i.organizations.map((o) => o.id).join(", ")}`
      : "";
  return `user "${i.userId}" in ${rule.displayName} account ${i.integratedAccountId}${scope}`;
}

/** `Admin (deployment-admin) in organization 42`: a role with its name, id and scope. */
export function label(r: Role): string {
  const scope = [
    r.workspace && `workspace ${r.workspace}`,
    r.organization && `organization ${r.organization}`,
    r.group && `group ${r.group}`,
  ].filter(Boolean);
  return `${r.name ? `${r.name} (${r.id})` : r.id}${scope.length ? ` in ${scope.join(", ")}` : ""}`;
}
