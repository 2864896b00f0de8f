/**
 * Slack Enterprise through Truto: Bob is a User Admin in the Platform workspace.
 *
 * Slack roles are held per workspace, so `workspaceId` is required. Change the role in place with
 * `pulumi config set role Rl0J` (Security Admin) and `pulumi up`. The ids are the sandbox seed's.
 */
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "pulumi-truto-access";

const config = new pulumi.Config();

const bob = new RoleAssignment("bob-platform", {
  integratedAccountId: config.get("accountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01",
  integration: "slackenterprise",
  userId: "U02BOB",
  // Required for Slack Enterprise: the workspace (team) the roles apply in. Changing it replaces the assignment.
  workspaceId: "T0PLATFORM",
  // Slack's role ids: Rl03 User Admin, Rl0J Security Admin, Rl0A Channel Manager, ...
  roles: [{ id: config.get("role") ?? "Rl03" }],
});

/** The roles Slack confirmed after the last `pulumi up`. */
export const heldRoles = bob.heldRoles;
