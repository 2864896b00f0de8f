import type { AccountIndex } from "./store";
import { rulesFor } from "./truto-rules";
import type { HeldRole, SandboxUser } from "./types";

/** A held role as the unified model shows it: id and name, plus its workspace or organization. */
export interface UnifiedHeldRole {
  id: string;
  name: string;
  workspace?: string;
  organization?: string;
}

/** The unified view of held roles, naming each from the account's catalogue (the id if unknown). */
export function unifiedRoles(account: AccountIndex, roles: HeldRole[]): UnifiedHeldRole[] {
  return roles.map((role) => {
    const view: UnifiedHeldRole = { id: role.id, name: account.roles.get(role.id)?.name ?? role.id };
    if (role.workspace !== undefined) view.workspace = role.workspace;
    if (role.organization !== undefined) view.organization = role.organization;
    return view;
  });
}

function splitName(name: string): { first: string; last: string } {
  const space = name.indexOf(" ");
  return space < 0 ? { first: name, last: "" } : { first: name.slice(0, space), last: name.slice(space + 1) };
}

// What each app's own user record looks like, so remote_data resembles what Truto passes through.
function remoteData(account: AccountIndex, user: SandboxUser): Record<string, unknown> {
  const { first, last } = splitName(user.name);
  switch (rulesFor(account.account.integration).vendor) {
    case "slack":
      return {
        id: user.id,
        name: user.email.split("@")[0],
        real_name: user.name,
        deleted: user.status !== "active",
        profile: { email: user.email, first_name: first, last_name: last },
        enterprise_user: { teams: [...account.workspaces.keys()] },
      };
    case "elastic":
      return { user_id: user.id, email: user.email, name: user.name };
    case "jumpcloud":
      return {
        _id: user.id,
        email: user.email,
        firstname: first,
        lastname: last,
        state: user.status === "active" ? "ACTIVATED" : "SUSPENDED",
      };
    case "crowdstrike":
      return { uuid: user.id, uid: user.email, first_name: first, last_name: last, status: user.status };
    case "teamviewer":
      return { id: user.id, name: user.name, email: user.email, active: user.status === "active" };
    case "generic":
      return { id: user.id, email: user.email, name: user.name, status: user.status };
  }
}

/**
 * The unified user object. Every user of an account is shown as a member of all its workspaces
 * and organizations, since the state model does not track membership separately.
 */
export function unifiedUser(account: AccountIndex, user: SandboxUser): Record<string, unknown> {
  const { first, last } = splitName(user.name);
  const view: Record<string, unknown> = {
    id: user.id,
    name: user.name,
    first_name: first,
    last_name: last,
    emails: [{ email: user.email, is_primary: true, type: "work" }],
    status: user.status,
    roles: unifiedRoles(account, user.roles),
  };
  if (account.workspaces.size > 0) {
    view.workspaces = [...account.workspaces.values()].map(({ id, name }) => ({ id, name }));
  }
  if (account.organizations.size > 0) {
    view.organizations = [...account.organizations.values()].map(({ id, name }) => ({ id, name }));
  }
  view.remote_data = remoteData(account, user);
  return view;
}

/**
 * Applies Truto's response-shaping query parameters to one record: `truto_ignore_remote_data`
 * drops remote_data, `truto_exclude_fields[]` drops the named top-level fields.
 */
export function shapeRecord(record: Record<string, unknown>, query: Record<string, unknown>): Record<string, unknown> {
  const shaped = { ...record };
  if (query.truto_ignore_remote_data === "true") delete shaped.remote_data;
  const exclude = query.truto_exclude_fields;
  const names = Array.isArray(exclude) ? exclude : typeof exclude === "string" ? exclude.split(",") : [];
  for (const name of names) if (typeof name === "string") delete shaped[name];
  return shaped;
}
