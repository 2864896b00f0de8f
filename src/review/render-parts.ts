/**
 * How the review names things in Markdown: a person, an app, a role with its scope and flags. The full
 * report and the shortened comment say them the same way.
 */
import { code, listText, text } from "./markdown-text";
import type { HiddenReason } from "./sentinels";
import type { AccessSection, AppRef, PersonRef, RoleChange, RoleRef } from "./types";

/** `pulumi up` as inline code. */
export const UP = "`pulumi up`";

/** A person: "Name (`email`)", the name and user id, the e-mail, "`U07NEW` (new user)", the user id, or a phrase when hidden. */
export function personText(person: PersonRef): string {
  if (person.hidden === "unknown") return `_a user known only at ${UP}_`;
  if (person.hidden) return `_a user whose id is ${hiddenAdjective(person.hidden)}_`;
  if (person.name && person.email) return `${text(person.name)} (${code(person.email)})`;
  if (person.name) return `${text(person.name)} (user ${code(person.userId ?? "")})`;
  if (person.email) return code(person.email);
  if (person.isNew) return `${code(person.userId ?? person.label)} (new user)`;
  return `user ${code(person.userId ?? person.label)}`;
}

/** An app by its display name; with `showAccount`, the integrated account too. */
export function appText(app: AppRef, showAccount = false): string {
  if (!app.integration) {
    return app.hidden === "unknown"
      ? `_an app known only at ${UP}_`
      : `_an app whose name is ${hiddenAdjective(app.hidden ?? "unreadable")}_`;
  }
  const name = text(app.label);
  if (app.hidden === "unknown") return `${name} (account known only at ${UP})`;
  if (app.hidden) return `${name} (account ${hiddenAdjective(app.hidden)})`;
  return showAccount && app.integratedAccountId ? `${name} (account ${code(app.integratedAccountId)})` : name;
}

/** "secret", "unknown" or "unreadable". */
export function hiddenAdjective(reason: HiddenReason): string {
  return reason === "secret" ? "secret" : reason === "unknown" ? "unknown" : "unreadable";
}

const HIDDEN_SCOPE: Record<HiddenReason, string> = {
  unknown: `a scope known only at ${UP}`,
  secret: "a secret scope",
  unreadable: "an unreadable scope",
};

/** A role as "**Name** (`id`) in workspace `T1`, organization …", named as the vendor names it when known. */
export function roleText(role: RoleRef): string {
  const name = role.knownName ?? role.name;
  const base = name ? `**${text(name)}** (${code(role.id)})` : code(role.id);
  const scope: string[] = [];
  if (role.workspace) scope.push(`workspace ${code(role.workspace)}`);
  if (role.organization) {
    scope.push(
      `organization ${role.organizationName ? `${text(role.organizationName)} (${code(role.organization)})` : code(role.organization)}`,
    );
  }
  if (role.organizations) {
    const orgs = role.organizations.map((o) => (o.name ? `${text(o.name)} (${code(o.id)})` : code(o.id)));
    scope.push(`${orgs.length === 1 ? "organization" : "organizations"} ${listText(orgs)}`);
  }
  if (role.group) scope.push(`group ${code(role.group)}`);
  if (role.hiddenScope) scope.push(HIDDEN_SCOPE[role.hiddenScope]);
  return scope.length > 0 ? `${base} in ${listText(scope)}` : base;
}

/**
 * A granted or revoked role with its flags: "— ⚠ privileged", "— ⚠ declared as "X" but `id` is Y",
 * "— expires in 3 days", "— expired: revoked at the next `pulumi up`", "— ⚠ privileged without expiresAt".
 */
export function roleLine(change: RoleChange): string {
  const { role } = change;
  const privileged = role.privileged ? " — ⚠ privileged" : "";
  const mislabel =
    role.mislabelled && role.name && role.knownName
      ? ` — ⚠ declared as "${text(role.name)}" but ${code(role.id)} is ${text(role.knownName)}`
      : "";
  return `${roleText(role)}${privileged}${mislabel}${expiryText(role)}`;
}

function expiryText(role: RoleChange["role"]): string {
  if (role.expiryRequired) return " — ⚠ no `expiresAt` (required for privileged roles)";
  if (role.expiry?.state === "expired") return ` — expired: revoked at the next ${code("pulumi up")} (expiresAt ${code(role.expiry.at)})`;
  if (role.expiry?.state === "expiring")
    return ` — expires in ${role.expiry.inDays === 1 ? "1 day" : `${role.expiry.inDays} days`} (${code(role.expiry.at)})`;
  return "";
}

/** Keys of apps whose display name another app in `sections` shares: two accounts of one integration. */
export function ambiguousApps(sections: readonly AccessSection[]): Set<string> {
  const keysByLabel = new Map<string, Set<string>>();
  const add = (app: AppRef): void => {
    const keys = keysByLabel.get(app.label) ?? new Set<string>();
    keys.add(app.key);
    keysByLabel.set(app.label, keys);
  };
  for (const section of sections) {
    add(section.app);
    for (const r of section.replacements) (add(r.from.app), add(r.to.app));
  }
  return new Set([...keysByLabel.values()].filter((keys) => keys.size > 1).flatMap((keys) => [...keys]));
}
