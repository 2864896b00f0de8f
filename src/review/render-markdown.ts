/**
 * Renders an AccessReview as a pull-request comment: a title, one summary line, one block per person and
 * app, then what the preview cannot show yet. A preview without access change renders as one line.
 */
import { boundedList, code, count, listText, text } from "./markdown-text";
import { compareText } from "./order";
import type { HiddenReason } from "./sentinels";
import type {
  AccessReview,
  AccessSection,
  AppRef,
  ChangeCause,
  NotUnderstoodChange,
  PersonRef,
  Replacement,
  RoleChange,
  RoleRef,
  StateOnlyChange,
  UnresolvedResource,
} from "./types";
import { STEP_OPS } from "./resource-changes";

/** The first line of every review with an access change (the one-line "no change" review has none). */
export const REVIEW_TITLE = "### Access review";

const UP = "`pulumi up`";
const MAX_PATHS = 6;
const MAX_NAMES = 3;
const OP_ORDER = ["create", "update", "replace", "delete", "import"];

/** The Markdown of `review`, without a trailing newline. */
export function renderMarkdown(review: AccessReview): string {
  if (!review.hasAccessChange) return noChangeLine(review);
  const lines: string[] = [REVIEW_TITLE, "", summaryLine(review), ""];
  if (review.errorDiagnostics > 0) {
    lines.push(`> ⚠ The preview reported ${count(review.errorDiagnostics, "error")}, so this summary may be incomplete.`, "");
  }
  // What the review could not read comes first: a reviewer who stops reading early must still see it.
  lines.push(...notUnderstoodLines(review.notUnderstood));
  lines.push(...unresolvedLines(review.unresolved, "unreadable", "#### Unreadable values"));
  const ambiguous = ambiguousApps(review.sections);
  for (const section of review.sections) lines.push(...sectionLines(section, ambiguous.has(section.app.key)), "");
  lines.push(...unresolvedLines(review.unresolved, "unknown", `#### Known only at ${UP}`));
  lines.push(...unresolvedLines(review.unresolved, "secret", "#### Hidden by secrets"));
  lines.push(...stateOnlyLines(review.stateOnly));
  const flagged = review.totals.privilegedGranted + review.totals.privilegedRevoked > 0;
  if (flagged) lines.push(privilegedLegend(review), "");
  const unlisted = unlistedRoles(review.sections);
  if (unlisted) lines.push(unlisted, "");
  if (review.otherResources.total > 0) lines.push(`Also in this preview: ${otherResourcesText(review)}, not summarized here.`, "");
  return lines.join("\n").trimEnd();
}

function noChangeLine(review: AccessReview): string {
  const notes: string[] = [];
  const names = (kind: StateOnlyChange["kind"]): string[] => review.stateOnly.filter((c) => c.kind === kind).map((c) => code(c.resource));
  const imported = names("import");
  const forgotten = names("forget");
  if (imported.length > 0) {
    notes.push(`${count(imported.length, "assignment")} ${imported.length === 1 ? "is" : "are"} imported as ${imported.length === 1 ? "it is" : "they are"} (${boundedList(imported, MAX_NAMES)})`);
  }
  if (forgotten.length > 0) {
    const verb = forgotten.length === 1 ? "leaves" : "leave";
    notes.push(`${count(forgotten.length, "assignment")} ${verb} the state after an earlier, interrupted replacement deleted ${forgotten.length === 1 ? "it" : "them"} (${boundedList(forgotten, MAX_NAMES)})`);
  }
  if (review.otherResources.total > 0) notes.push(otherResourcesText(review));
  if (review.errorDiagnostics > 0) notes.push(`the preview reported ${count(review.errorDiagnostics, "error")}, so this may be incomplete`);
  return ["No access changes in this preview: no role is granted, revoked or replaced", ...notes].join("; ") + ".";
}

function summaryLine(review: AccessReview): string {
  const t = review.totals;
  const one = t.people === 1;
  const verbs: string[] = [];
  if (t.granted > 0) verbs.push(`${one ? "gains" : "gain"} ${count(t.granted, "role")}`);
  if (t.revoked > 0) verbs.push(`${one ? "loses" : "lose"} ${t.granted > 0 ? String(t.revoked) : count(t.revoked, "role")}`);
  const parts: string[] = [];
  if (t.notUnderstood > 0) parts.push(`⚠ ${count(t.notUnderstood, "assignment")} not understood`);
  if (verbs.length > 0) parts.push(`${count(t.people, "person", "people")} ${verbs.join(", ")}`);
  if (t.replacements > 0) parts.push(count(t.replacements, "replacement"));
  if (t.privilegedGranted > 0) parts.push(`⚠ ${count(t.privilegedGranted, "privileged role")} granted`);
  if (t.mislabelled > 0) parts.push(`⚠ ${count(t.mislabelled, "mislabelled role")}`);
  if (t.unknown > 0) parts.push(`${count(t.unknown, "assignment")} with values known only at ${UP}`);
  if (t.secret > 0) parts.push(`${count(t.secret, "assignment")} with secret values`);
  if (t.unreadable > 0) parts.push(`${count(t.unreadable, "assignment")} with unreadable values`);
  return `**${parts.join("; ")}**`;
}

// Two accounts of one integration get the same display name; the account id tells them apart.
function ambiguousApps(sections: readonly AccessSection[]): Set<string> {
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

function sectionLines(section: AccessSection, showAccount: boolean): string[] {
  const lines = [`#### ${personText(section.person)} · ${appText(section.app, showAccount)}`];
  for (const change of section.granted) lines.push(`- ➕ grants ${roleLine(change)}`);
  for (const change of section.revoked) lines.push(`- ➖ revokes ${roleLine(change)}`);
  for (const replacement of section.replacements) lines.push(`- 🔁 ${replacementText(replacement, section)}`);
  // The blank line keeps this out of the last list item (a lazy continuation line in CommonMark).
  lines.push("", `_Resources: ${section.resources.map(code).join(", ")}_`);
  return lines;
}

function roleLine(change: RoleChange): string {
  const { role } = change;
  const privileged = role.privileged ? " — ⚠ privileged" : "";
  const mislabel = role.mislabelled && role.name && role.knownName
    ? ` — ⚠ declared as "${text(role.name)}" but ${code(role.id)} is ${text(role.knownName)}`
    : "";
  return `${roleText(role)}${privileged}${mislabel}`;
}

/** A role as "**Name** (`id`) in workspace `T1`, organization …", named as the vendor names it when known. */
function roleText(role: RoleRef): string {
  const name = role.knownName ?? role.name;
  const base = name ? `**${text(name)}** (${code(role.id)})` : code(role.id);
  const scope: string[] = [];
  if (role.workspace) scope.push(`workspace ${code(role.workspace)}`);
  if (role.organization) {
    scope.push(`organization ${role.organizationName ? `${text(role.organizationName)} (${code(role.organization)})` : code(role.organization)}`);
  }
  if (role.organizations) {
    const orgs = role.organizations.map((o) => (o.name ? `${text(o.name)} (${code(o.id)})` : code(o.id)));
    scope.push(`${orgs.length === 1 ? "organization" : "organizations"} ${listText(orgs)}`);
  }
  if (role.group) scope.push(`group ${code(role.group)}`);
  if (role.hiddenScope) scope.push(HIDDEN_SCOPE[role.hiddenScope]);
  return scope.length > 0 ? `${base} in ${listText(scope)}` : base;
}

function replacementText(r: Replacement, section: AccessSection): string {
  const because = r.reasons.length > 0 ? `, because ${listText(r.reasons.map(code))} ${r.reasons.length === 1 ? "changes" : "change"}` : "";
  const head = `replaces ${code(r.resource)} (${r.order}${because})`;
  if (r.moves) {
    const isOld = section.person.key === r.from.person.key && section.app.key === r.from.app.key;
    const isNew = section.person.key === r.to.person.key && section.app.key === r.to.app.key;
    const accounts = r.from.app.label === r.to.app.label && r.from.app.key !== r.to.app.key;
    if (isOld && !isNew) return `${head}: the assignment moves to ${personText(r.to.person)} · ${appText(r.to.app, accounts)}`;
    if (isNew && !isOld) return `${head}: the assignment moves here from ${personText(r.from.person)} · ${appText(r.from.app, accounts)}`;
    return `${head}: the old assignment ends and a new one starts`;
  }
  const kept = listText(r.kept.map(roleText));
  if (r.order === "delete-before-create") {
    return r.kept.length > 0
      ? `${head}: keeps ${kept}, but ${r.kept.length === 1 ? "it lapses" : "they lapse"} between the delete and the create`
      : `${head}: the old assignment is deleted before the new one is created`;
  }
  return r.kept.length > 0 ? `${head}: keeps ${kept} without a gap` : `${head}: the new assignment is created before the old one is deleted`;
}

function personText(person: PersonRef): string {
  if (person.hidden === "unknown") return `_a user known only at ${UP}_`;
  if (person.hidden) return `_a user whose id is ${hiddenAdjective(person.hidden)}_`;
  if (person.name && person.email) return `${text(person.name)} (${code(person.email)})`;
  if (person.name) return `${text(person.name)} (user ${code(person.userId ?? "")})`;
  if (person.email) return code(person.email);
  return `user ${code(person.userId ?? person.label)}`;
}

function appText(app: AppRef, showAccount = false): string {
  if (!app.integration) {
    return app.hidden === "unknown" ? `_an app known only at ${UP}_` : `_an app whose name is ${hiddenAdjective(app.hidden ?? "unreadable")}_`;
  }
  const name = text(app.label);
  if (app.hidden === "unknown") return `${name} (account known only at ${UP})`;
  if (app.hidden) return `${name} (account ${hiddenAdjective(app.hidden)})`;
  return showAccount && app.integratedAccountId ? `${name} (account ${code(app.integratedAccountId)})` : name;
}

function hiddenAdjective(reason: HiddenReason): string {
  return reason === "secret" ? "secret" : reason === "unknown" ? "unknown" : "unreadable";
}

const HIDDEN_SCOPE: Record<HiddenReason, string> = {
  unknown: `a scope known only at ${UP}`,
  secret: "a secret scope",
  unreadable: "an unreadable scope",
};

const CAUSE_WORD: Record<ChangeCause, string> = { create: "new", delete: "removed", update: "updated", replace: "replaced" };

function unresolvedLines(all: readonly UnresolvedResource[], reason: HiddenReason, title: string): string[] {
  const lines: string[] = [];
  for (const u of all) {
    const paths = u.values.filter((v) => v.reason === reason).map((v) => code(v.path));
    if (paths.length === 0) continue;
    const many = paths.length > 1;
    const tail =
      reason === "unknown"
        ? `${many ? "are" : "is"} known only at ${UP}`
        : reason === "secret"
          ? `${many ? "are" : "is"} secret, so ${many ? "they are" : "it is"} not shown`
          : `${many ? "are" : "is"} not in the shape this resource writes`;
    const where = `${CAUSE_WORD[u.cause]}, ${personText(u.person)} · ${appText(u.app)}`;
    lines.push(`- ${code(u.resource)} (${where}): ${boundedList(paths, MAX_PATHS)} ${tail}.`);
  }
  return lines.length > 0 ? [title, ...lines, ""] : [];
}

function privilegedLegend(review: AccessReview): string {
  return (
    "⚠ privileged: the app's role table lists the role's id as privileged, or its id or name contains one of " +
    `${review.privilegedPatterns.map(code).join(", ")} (a declared name counts only for an id the table does not know).`
  );
}

const MAX_UNLISTED = 10;

// An id the table does not know is judged by its words alone; an opaque id with a harmless label would pass.
function unlistedRoles(sections: readonly AccessSection[]): string | undefined {
  const seen = new Map<string, { app: string; id: string }>();
  for (const section of sections) {
    for (const change of [...section.granted, ...section.revoked]) {
      const key = `${section.app.label}\u0000${change.role.id}`;
      if (change.role.catalog === "unknown" && !seen.has(key)) seen.set(key, { app: section.app.label, id: change.role.id });
    }
  }
  if (seen.size === 0) return undefined;
  const all = [...seen.values()].sort((a, b) => compareText(a.app, b.app) || compareText(a.id, b.id));
  const idsByApp = new Map<string, string[]>();
  for (const { app, id } of all.slice(0, MAX_UNLISTED)) idsByApp.set(app, [...(idsByApp.get(app) ?? []), code(id)]);
  const parts = [...idsByApp].map(([app, ids]) => `${listText(ids)} (${text(app)})`);
  const more = all.length > MAX_UNLISTED ? `; and ${all.length - MAX_UNLISTED} more` : "";
  return `Not in this tool's role table, so judged only by the id and the declared name: ${parts.join("; ")}${more}.`;
}

function notUnderstoodLines(all: readonly NotUnderstoodChange[]): string[] {
  if (all.length === 0) return [];
  const lines = [
    "#### ⚠ Not understood: check these by hand",
    `This review cannot tell what ${all.length === 1 ? "this change does" : "these changes do"} to access, so ${all.length === 1 ? "it is" : "they are"} not in the summary. ` +
      "Read the resource's steps in `pulumi preview --diff`.",
  ];
  for (const n of all) lines.push(`- ${code(n.resource)}${n.target ? ` (${personText(n.target.person)} · ${appText(n.target.app)})` : ""}: ${notUnderstoodText(n)}.`);
  return [...lines, ""];
}

function notUnderstoodText(n: NotUnderstoodChange): string {
  const ops = n.ops.map(code);
  if (n.reason === "unknown-op") {
    const unknown = [...new Set(n.ops.filter((op) => !Object.hasOwn(STEP_OPS, op)))].map(code);
    return `step ${listText(unknown)} ${unknown.length === 1 ? "is not an operation" : "are not operations"} this review knows (a newer Pulumi?)`;
  }
  if (n.reason === "missing-state") return `step ${listText([...new Set(ops)])} carries no ${n.missing ?? "new"} state`;
  return n.ops.length === 1
    ? `step ${ops[0]} on its own does not say what happens to a RoleAssignment`
    : `steps ${listText([...new Set(ops)])} together are not a combination this review knows`;
}

function stateOnlyLines(all: readonly StateOnlyChange[]): string[] {
  if (all.length === 0) return [];
  const lines = ["#### Not changed at the API"];
  for (const c of all) {
    const where = `${personText(c.target.person)} · ${appText(c.target.app)}`;
    const roles = c.roles.length > 0 ? boundedList(c.roles.map((r) => `${roleText(r)}${r.privileged ? " (⚠ privileged)" : ""}`), MAX_PATHS) : "no readable role";
    lines.push(
      c.kind === "import"
        ? `- ${code(c.resource)} (import): adopts ${where} as it is: ${roles}. A later \`pulumi destroy\` revokes ${c.roles.length === 1 ? "it" : "them"}.`
        : `- ${code(c.resource)} (remove-pending-replace): ${where} leaves the state; an earlier, interrupted replacement already deleted it and revoked ${roles}.`,
    );
  }
  return [...lines, ""];
}

function otherResourcesText(review: AccessReview): string {
  const { total, byOp } = review.otherResources;
  const ops = Object.keys(byOp).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const detail = ops.map((op) => `${byOp[op]} ${op}`).join(", ");
  return `${count(total, "other resource")} ${total === 1 ? "changes" : "change"} (${detail})`;
}

function rank(op: string): number {
  const i = OP_ORDER.indexOf(op);
  return i === -1 ? OP_ORDER.length : i;
}
