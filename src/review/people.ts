/**
 * Names the person and the app of an assignment for a reviewer: the user's name and e-mail as the
 * provider last read them back, else the app's user id; the integration's display name.
 */
import type { AssignmentView, DirectoryUser } from "./assignment";
import { isKnownIntegration, RULES } from "../integrations/rules";
import type { AppRef, PersonRef } from "./types";

/** Users the provider read back, by app account and user id, gathered from every old state in the preview. */
export type Directory = ReadonlyMap<string, DirectoryUser>;

/** Collects the `user` outputs of `views`, so a new assignment for a known user shows their name too. */
export function buildDirectory(views: readonly AssignmentView[]): Directory {
  const directory = new Map<string, DirectoryUser>();
  for (const view of views) {
    const key = accountUserKey(view);
    if (key && view.user && !directory.has(key)) directory.set(key, view.user);
  }
  return directory;
}

/** The app of `view`; `urn` keeps hidden apps of different resources apart. */
export function appOf(view: AssignmentView, urn: string): AppRef {
  const { integration, integratedAccountId: account } = view;
  if (!integration.known) {
    return { key: `hidden:${urn}`, label: HIDDEN_APP[integration.reason], hidden: integration.reason };
  }
  const label = isKnownIntegration(integration.value) ? RULES[integration.value].displayName : integration.value;
  if (!account.known) {
    return { key: `hidden:${urn}`, label, integration: integration.value, hidden: account.reason };
  }
  return { key: `${integration.value}|${account.value}`, label, integration: integration.value, integratedAccountId: account.value };
}

/**
 * The person of `view`, named from its own `user` output or, failing that, from `directory`. `created`:
 * the view is of an assignment being created for this user, so a user nothing names is a new one.
 */
export function personOf(view: AssignmentView, directory: Directory, urn: string, created = false): PersonRef {
  const { userId } = view;
  if (!userId.known) {
    return { key: `hidden:${urn}`, label: HIDDEN_USER[userId.reason], hidden: userId.reason };
  }
  const key = accountUserKey(view);
  const user = view.user ?? (key ? directory.get(key) : undefined);
  const name = user?.name;
  const email = user?.email;
  const isNew = created && !name && !email;
  const label = name && email ? `${name} (${email})` : (name ?? email ?? (isNew ? `${userId.value} (new user)` : userId.value));
  return {
    key: email ? `email:${email.toLowerCase()}` : `user:${key ?? `${urn}|${userId.value}`}`,
    label,
    userId: userId.value,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(isNew ? { isNew: true as const } : {}),
  };
}

const HIDDEN_USER = {
  unknown: "a user known only at pulumi up",
  secret: "a user whose id is secret",
  unreadable: "a user whose id cannot be read",
} as const;

const HIDDEN_APP = {
  unknown: "an app known only at pulumi up",
  secret: "an app whose name is secret",
  unreadable: "an app whose name cannot be read",
} as const;

function accountUserKey(view: AssignmentView): string | undefined {
  const { integration, integratedAccountId: account, userId } = view;
  if (!integration.known || !account.known || !userId.known) return undefined;
  return `${integration.value}|${account.value}|${userId.value}`;
}
