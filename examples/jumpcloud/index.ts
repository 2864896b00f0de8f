/**
 * JumpCloud through Truto: Carol is a Manager. JumpCloud roles have no scope, so a user id and roles are
 * all it needs. Add a second role in place with `pulumi config set secondRole help-desk` and `pulumi up`;
 * `pulumi config rm secondRole` takes it away again. The ids are the sandbox seed's.
 */
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "pulumi-truto-access";

const config = new pulumi.Config();
const secondRole = config.get("secondRole");

const carol = new RoleAssignment("carol-jumpcloud", {
  integratedAccountId: config.get("accountId") ?? "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02",
  integration: "jumpcloud",
  userId: "64a1f0c2e4b0a1a1a1a1a003",
  roles: [{ id: "manager", name: "Manager" }, ...(secondRole ? [{ id: secondRole }] : [])],
});

/** The roles JumpCloud confirmed after the last `pulumi up`. */
export const heldRoles = carol.heldRoles;
