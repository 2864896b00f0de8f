/**
 * Elastic Cloud through Truto: Dan is a deployment Viewer in the Acme Production organization.
 *
 * `organizations` is required: Elastic revokes a user's roles organization by organization, so the
 * assignment names the organizations it manages and never touches the others. Change the role in place
 * with `pulumi config set role deployment-editor` and `pulumi up`. The ids are the sandbox seed's.
 */
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "pulumi-truto-access";

const config = new pulumi.Config();

const dan = new RoleAssignment("dan-production", {
  integratedAccountId: config.get("accountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03",
  integration: "elasticcloud",
  userId: "1183940204",
  organizations: [{ id: "4201839311", name: "Acme Production" }],
  // Elastic's role ids: deployment-viewer, deployment-editor, deployment-admin, billing-admin, organization-admin.
  roles: [{ id: config.get("role") ?? "deployment-viewer" }],
});

/** The roles Elastic Cloud confirmed after the last `pulumi up`. */
export const heldRoles = dan.heldRoles;
