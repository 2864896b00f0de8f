/**
 * The parts of a review that both the full report and the shortened comment print: the summary line,
 * what was not understood, hidden values, state-only changes and the closing notes. A list is a
 * {@link Block}, so the comment can cut its items and say how many it left out.
 */
import { boundedList, code, count, listText, text } from "./markdown-text";
import { compareText } from "./order";
import { appText, personText, roleText, UP } from "./render-parts";
import { STEP_OPS } from "./resource-changes";
import type { HiddenReason } from "./sentinels";
import { stackRefText, type StackRef } from "./stack-ref";
import type { AccessReview, AccessSection, ChangeCause, ExpiryEdit, Move, NotUnderstoodChange, StateOnlyChange } from "./types";

/** A titled list: the lines before its items, and the items (one line each). */
export interface Block {
  readonly head: readonly string[];
  readonly items: readonly string[];
}

/** The lines of `block` followed by a blank line, or none for an empty block. */
export function blockLines(block: Block | undefined): string[] {
  return block ? [...block.head, ...block.items, ""] : [];
}

const MAX_PATHS = 6;
const MAX_NAMES = 3;
const MAX_UNLISTED = 10;
const OP_ORDER = ["create", "update", "replace", "delete", "import"];

/** The bold line of totals under the title. */
export function summaryLine(review: AccessReview): string {
  const t = review.totals;
  const one = t.people === 1;
  const verbs: string[] = [];
  if (t.granted > 0) verbs.push(`${one ? "gains" : "gain"} ${count(t.granted, "role")}`);
  if (t.revoked > 0) verbs.push(`${one ? "loses" : "lose"} ${t.granted > 0 ? String(t.revoked) : count(t.revoked, "role")}`);
  const parts: string[] = [];
  if (t.notUnderstood > 0) parts.push(`⚠ ${count(t.notUnderstood, "assignment")} not understood`);
  if (verbs.length > 0) parts.push(`${count(t.people, "person", "people")} ${verbs.join(", ")}`);
  if (t.replacements > 0) parts.push(count(t.replacements, "replacement"));
  if (t.moves > 0) parts.push(`${count(t.moves, "role")} ${t.moves === 1 ? "moves" : "move"} between resources with no change in access`);
  if (t.privilegedGranted > 0) parts.push(`⚠ ${count(t.privilegedGranted, "privileged role")} granted`);
  if (t.mislabelled > 0) parts.push(`⚠ ${count(t.mislabelled, "mislabelled role")}`);
  if (t.expired > 0) parts.push(`${count(t.expired, "role")} expired`);
  if (review.expiryEdits.length > 0) parts.push(count(review.expiryEdits.length, "expiry change"));
  if (t.privilegedWithoutExpiry > 0) parts.push(`⚠ ${count(t.privilegedWithoutExpiry, "privileged role")} granted without \`expiresAt\``);
  if (t.unknown > 0) parts.push(`${count(t.unknown, "assignment")} with values known only at ${UP}`);
  if (t.secret > 0) parts.push(`${count(t.secret, "assignment")} with secret values`);
  if (t.unreadable > 0) parts.push(`${count(t.unreadable, "assignment")} with unreadable values`);
  return `**${parts.join("; ")}**`;
}

/** The warning above a review whose preview reported errors, or none. */
export function errorLines(review: AccessReview): string[] {
  if (review.errorDiagnostics === 0) return [];
  return [`> ⚠ The preview reported ${count(review.errorDiagnostics, "error")}, so this summary may be incomplete.`, ""];
}

/** The one line of a review without access change, naming the stack when `target` says it. */
export function noChangeLine(review: AccessReview, target?: StackRef): string {
  const notes: string[] = [];
  const names = (kind: StateOnlyChange["kind"]): string[] => review.stateOnly.filter((c) => c.kind === kind).map((c) => code(c.resource));
  const imported = names("import");
  const forgotten = names("forget");
  if (imported.length > 0) {
    const one = imported.length === 1;
    notes.push(
      `${count(imported.length, "assignment")} ${one ? "is" : "are"} imported as ${one ? "it is" : "they are"} (${boundedList(imported, MAX_NAMES)})`,
    );
  }
  if (forgotten.length > 0) {
    const one = forgotten.length === 1;
    notes.push(
      `${count(forgotten.length, "assignment")} ${one ? "leaves" : "leave"} the state after an earlier, interrupted replacement ` +
        `deleted ${one ? "it" : "them"} (${boundedList(forgotten, MAX_NAMES)})`,
    );
  }
  if (review.otherResources.total > 0) notes.push(otherResourcesText(review));
  if (review.errorDiagnostics > 0) notes.push(`the preview reported ${count(review.errorDiagnostics, "error")}, so this may be incomplete`);
  const where = target ? stackRefText(target) : undefined;
  return (
    [`No access changes in this preview${where ? ` of ${code(where)}` : ""}: no role is granted, revoked or replaced`, ...notes].join(
      "; ",
    ) + "."
  );
}

/** RoleAssignments whose steps the review cannot read, or undefined when there are none. */
export function notUnderstoodBlock(all: readonly NotUnderstoodChange[]): Block | undefined {
  if (all.length === 0) return undefined;
  const one = all.length === 1;
  const head = [
    "#### ⚠ Not understood: check these by hand",
    `This review cannot tell what ${one ? "this change does" : "these changes do"} to access, so ${one ? "it is" : "they are"} not in the summary. ` +
      "Read the resource's steps in `pulumi preview --diff`.",
  ];
  const items = all.map(
    (n) =>
      `- ${code(n.resource)}${n.target ? ` (${personText(n.target.person)} · ${appText(n.target.app)})` : ""}: ${notUnderstoodText(n)}.`,
  );
  return { head, items };
}

function notUnderstoodText(n: NotUnderstoodChange): string {
  const ops = [...new Set(n.ops)].map(code);
  if (n.reason === "unknown-op") {
    const unknown = [...new Set(n.ops.filter((op) => !Object.hasOwn(STEP_OPS, op)))].map(code);
    return `step ${listText(unknown)} ${unknown.length === 1 ? "is not an operation" : "are not operations"} this review knows (a newer Pulumi?)`;
  }
  if (n.reason === "missing-state") return `step ${listText(ops)} carries no ${n.missing ?? "new"} state`;
  return ops.length === 1
    ? `step ${ops[0]} on its own does not say what happens to a RoleAssignment`
    : `steps ${listText(ops)} together are not a combination this review knows`;
}

const CAUSE_WORD: Record<ChangeCause, string> = { create: "new", delete: "removed", update: "updated", replace: "replaced" };

const UNRESOLVED_TITLE: Record<HiddenReason, string> = {
  unknown: `#### Known only at ${UP}`,
  secret: "#### Hidden by secrets",
  unreadable: "#### Unreadable values",
};

/** Changing assignments with values hidden for `reason`, or undefined when there are none. */
export function unresolvedBlock(review: AccessReview, reason: HiddenReason): Block | undefined {
  const items: string[] = [];
  for (const u of review.unresolved) {
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
    items.push(`- ${code(u.resource)} (${where}): ${boundedList(paths, MAX_PATHS)} ${tail}.`);
  }
  return items.length > 0 ? { head: [UNRESOLVED_TITLE[reason]], items } : undefined;
}

/** Roles moving from one resource to another, or undefined when there are none. */
export function movesBlock(all: readonly Move[]): Block | undefined {
  if (all.length === 0) return undefined;
  const items = all.map((m) => {
    const alias = m.sameAssignment
      ? ` Only the name changed: \`aliases: [{ name: "${m.from}" }]\` on ${code(m.to)} keeps it one resource.`
      : "";
    return `- ↪ ${personText(m.person)} · ${appText(m.app)}: ${roleText(m.role)}${m.role.privileged ? " (⚠ privileged)" : ""} moves from ${code(m.from)} to ${code(m.to)}: no change in access.${alias}`;
  });
  return { head: ["#### Moves"], items };
}

/** Kept roles whose deadline changes, or undefined when there are none. */
export function expiryEditsBlock(all: readonly ExpiryEdit[]): Block | undefined {
  if (all.length === 0) return undefined;
  const items = all.map((e) => {
    const when = (at: string | undefined) => (at ? `until ${code(at)}` : "no expiry");
    const flag = e.role.expiryRequired ? " — ⚠ no `expiresAt` (required for privileged roles)" : e.role.privileged ? " (⚠ privileged)" : "";
    return `- ⏱ ${personText(e.person)} · ${appText(e.app)}: ${roleText(e.role)} ${when(e.from)} → ${when(e.to)} (${code(e.resource)})${flag}`;
  });
  return { head: ["#### Expiry changes"], items };
}

/** Imports and forgotten assignments, or undefined when there are none. */
export function stateOnlyBlock(all: readonly StateOnlyChange[]): Block | undefined {
  if (all.length === 0) return undefined;
  const items = all.map((c) => {
    const where = `${personText(c.target.person)} · ${appText(c.target.app)}`;
    const roles =
      c.roles.length > 0
        ? boundedList(
            c.roles.map((r) => `${roleText(r)}${r.privileged ? " (⚠ privileged)" : ""}`),
            MAX_PATHS,
          )
        : "no readable role";
    return c.kind === "import"
      ? `- ${code(c.resource)} (import): adopts ${where} as it is: ${roles}. A later \`pulumi destroy\` revokes ${c.roles.length === 1 ? "it" : "them"}.`
      : `- ${code(c.resource)} (remove-pending-replace): ${where} leaves the state; an earlier, interrupted replacement already deleted it and revoked ${roles}.`;
  });
  return { head: ["#### Not changed at the API"], items };
}

/** The closing notes: what "privileged" means, roles the table does not know, other resources. */
export function closingLines(review: AccessReview): string[] {
  const lines: string[] = [];
  if (review.totals.privilegedGranted + review.totals.privilegedRevoked > 0) {
    const words = review.privilegedPatterns;
    lines.push(
      "⚠ privileged: the app's role table lists the role's id as privileged" +
        (words.length > 0
          ? `, or its id or name contains one of ${words.map(code).join(", ")} (a declared name counts only for an id the table does not know).`
          : "."),
      "",
    );
  }
  const unlisted = unlistedRoles(review.sections);
  if (unlisted) lines.push(unlisted, "");
  if (review.otherResources.total > 0) lines.push(`Also in this preview: ${otherResourcesText(review)}, not summarized here.`, "");
  return lines;
}

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
