/**
 * The sandbox's state model. GET and PUT /_sandbox/state exchange exactly this JSON shape, and the
 * state file holds it too, so every field here is part of a documented contract.
 */

/** An integrated account: one connected app, named by its Truto integration slug. */
export interface SandboxAccount {
  id: string;
  integration: string;
}

/** A role a user holds; Slack roles carry the workspace, Elastic roles the organization, others neither. */
export interface HeldRole {
  id: string;
  workspace?: string;
  organization?: string;
}

/** A user of one integrated account and the roles they hold there. */
export interface SandboxUser {
  accountId: string;
  id: string;
  name: string;
  email: string;
  status: string;
  roles: HeldRole[];
}

/** A role in an account's catalogue (what can be assigned). */
export interface SandboxRole {
  accountId: string;
  id: string;
  name: string;
}

/** A Slack Enterprise workspace (team) in which roles are held. */
export interface SandboxWorkspace {
  accountId: string;
  id: string;
  name: string;
}

/** An Elastic Cloud organization in which roles are held. */
export interface SandboxOrganization {
  accountId: string;
  id: string;
  name: string;
}

/** Everything the sandbox knows: accounts, their users, role catalogues and scopes. */
export interface SandboxState {
  accounts: SandboxAccount[];
  users: SandboxUser[];
  roles: SandboxRole[];
  workspaces: SandboxWorkspace[];
  organizations: SandboxOrganization[];
}
