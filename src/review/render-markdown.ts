/**
 * Renders the whole review of a preview: a title, one summary line, what was not understood, one block
 * per person and app, then what the preview cannot show yet. A preview without access change renders as
 * one line. A pull-request comment of a large preview is shortened from this (render-comment.ts).
 */
import { code, listText } from "./markdown-text";
import {
  blockLines,
  closingLines,
  errorLines,
  expiryEditsBlock,
  movesBlock,
  noChangeLine,
  notUnderstoodBlock,
  stateOnlyBlock,
  summaryLine,
  unresolvedBlock,
} from "./render-blocks";
import { ambiguousApps, appText, personText, roleLine, roleText } from "./render-parts";
import { stackRefText, type StackRef } from "./stack-ref";
import type { AccessReview, AccessSection, Replacement } from "./types";

/** The first line of every review with an access change (the one-line "no change" review has none). */
export const REVIEW_TITLE = "### Access review";

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** The project and stack the preview is of, named in the title (or the no-change line). */
  readonly target?: StackRef;
}

/** The title, naming the stack when it is known: "### Access review: `project/stack`". */
export function reviewTitle(target: StackRef | undefined): string {
  const where = target ? stackRefText(target) : undefined;
  return where ? `${REVIEW_TITLE}: ${code(where)}` : REVIEW_TITLE;
}

/** The Markdown of `review`, without a trailing newline. */
export function renderMarkdown(review: AccessReview, opts: MarkdownOptions = {}): string {
  if (!review.hasAccessChange) return noChangeLine(review, opts.target);
  const lines: string[] = [reviewTitle(opts.target), "", summaryLine(review), "", ...errorLines(review)];
  // What the review could not read comes first: a reviewer who stops reading early must still see it.
  lines.push(...blockLines(notUnderstoodBlock(review.notUnderstood)));
  lines.push(...blockLines(unresolvedBlock(review, "unreadable")));
  const ambiguous = ambiguousApps(review.sections);
  for (const section of review.sections) lines.push(...sectionLines(section, ambiguous.has(section.app.key)), "");
  lines.push(...blockLines(movesBlock(review.moves)));
  lines.push(...blockLines(expiryEditsBlock(review.expiryEdits)));
  lines.push(...blockLines(unresolvedBlock(review, "unknown")));
  lines.push(...blockLines(unresolvedBlock(review, "secret")));
  lines.push(...blockLines(stateOnlyBlock(review.stateOnly)));
  lines.push(...closingLines(review));
  return lines.join("\n").trimEnd();
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
  return r.kept.length > 0
    ? `${head}: keeps ${kept} without a gap`
    : `${head}: the new assignment is created before the old one is deleted`;
}
