/**
 * The review as one pull-request comment. GitHub refuses a comment body over 65,536 characters, and the
 * whole review of a few hundred changes is longer, so the comment of a large preview is shortened: the
 * totals, what was not understood, privileged and mislabelled roles and every revocation come first,
 * then a summary per app, then as many grants as fit. The whole review goes to a file (`--full-report`)
 * that the workflow keeps as an artifact, and the comment says where.
 */
import { code, count, number } from "./markdown-text";
import {
  blockLines,
  closingLines,
  errorLines,
  expiryEditsBlock,
  movesBlock,
  notUnderstoodBlock,
  summaryLine,
  unresolvedBlock,
  type Block,
} from "./render-blocks";
import { renderMarkdown, reviewTitle } from "./render-markdown";
import { ambiguousApps, appText, personText, roleLine } from "./render-parts";
import { reviewMarker, type StackRef } from "./stack-ref";
import type { AccessReview, AccessSection, RoleChange } from "./types";

/** The most characters GitHub accepts in an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The default size of a comment, in UTF-8 bytes: under GitHub's limit however it counts, with room for a sticky-comment marker. */
export const COMMENT_BUDGET = 60_000;

/** Options of {@link renderComment}. */
export interface CommentOptions {
  /** The largest comment, in UTF-8 bytes (default {@link COMMENT_BUDGET}). */
  readonly budget?: number;
  /** Where readers find the whole review when the comment is shortened: a file path, a link, or both. */
  readonly fullReport?: { readonly path?: string; readonly url?: string };
  /**
   * The project and stack: named in the title, and the comment's first line is then the hidden
   * {@link reviewMarker} a workflow finds its comment by (counted in `budget`).
   */
  readonly target?: StackRef;
}

/** A comment and the whole review it was made from. */
export interface ReviewComment {
  /** The comment, at most `budget` UTF-8 bytes, without a trailing newline. */
  readonly markdown: string;
  /** The whole review ({@link renderMarkdown}). */
  readonly full: string;
  /** True when `markdown` leaves something of `full` out. */
  readonly shortened: boolean;
}

const MAX_APP_ROWS = 50;

/** The comment for `review`: the whole review when it fits `budget`, else a shortened one. */
export function renderComment(review: AccessReview, opts: CommentOptions = {}): ReviewComment {
  const full = renderMarkdown(review, opts.target ? { target: opts.target } : {});
  const marker = opts.target ? reviewMarker(opts.target) : undefined;
  const withMarker = (body: string): string => (marker ? `${marker}\n${body}` : body);
  const budget = (opts.budget ?? COMMENT_BUDGET) - (marker ? size(marker) + 1 : 0);
  if (size(full) <= budget) return { markdown: withMarker(full), full, shortened: false };
  return { markdown: withMarker(shortened(review, full, budget, opts)), full, shortened: true };
}

function shortened(review: AccessReview, full: string, budget: number, opts: CommentOptions): string {
  const where = opts.fullReport;
  const head = [reviewTitle(opts.target), "", summaryLine(review), "", ...errorLines(review), shortenedNote(full, where), ""];
  const tail = closingLines(review);
  const table = appTable(review);
  let room = budget - linesSize(head) - linesSize(tail) - linesSize(table);
  const take = (block: Block | undefined): string[] => {
    const lines = fit(block, room);
    room -= linesSize(lines);
    return lines;
  };
  // Filled in this order, so what matters most is cut last; the table's room is set aside first.
  const notUnderstood = take(notUnderstoodBlock(review.notUnderstood));
  const unreadable = take(unresolvedBlock(review, "unreadable"));
  const flagged = changeBlock(
    review.sections,
    "#### ⚠ Privileged and mislabelled roles",
    (c) => c.role.privileged || c.role.mislabelled === true,
    "both",
  );
  const flaggedLines = take(flagged);
  const revokedTitle = flagged && flagged.items.some((i) => i.includes(" revokes ")) ? "#### Other revocations" : "#### Revocations";
  const revocations = take(changeBlock(review.sections, revokedTitle, (c) => !c.role.privileged && !c.role.mislabelled, "revoked"));
  const moves = take(movesBlock(review.moves));
  const expiryEdits = take(expiryEditsBlock(review.expiryEdits));
  const grants = take(changeBlock(review.sections, "#### Grants", (c) => !c.role.privileged && !c.role.mislabelled, "granted"));
  const lines = [
    ...head,
    ...notUnderstood,
    ...unreadable,
    ...flaggedLines,
    ...revocations,
    ...moves,
    ...expiryEdits,
    ...table,
    ...grants,
    ...tail,
  ];
  // The sizes above are exact; this only guards a budget smaller than the parts that are never cut.
  while (lines.length > 0 && size(lines.join("\n").trimEnd()) > budget) lines.pop();
  return lines.join("\n").trimEnd();
}

function shortenedNote(full: string, where: CommentOptions["fullReport"]): string {
  const link = where?.url && /^https?:\/\/\S+$/.test(where.url) ? where.url.replace(/[()<>]/g, encodeURIComponent) : undefined;
  const download = link ? `[download it from the workflow run](${link})` : undefined;
  const whole = where?.path
    ? `the whole review is in ${code(where.path)}${download ? ` (${download})` : ""}`
    : download
      ? `the whole review: ${download}`
      : "run `pulumi-truto-access review --full-report FILE` to write the whole review to a file";
  return (
    `> ✂ This comment is shortened to fit GitHub's limit of ${number(GITHUB_COMMENT_LIMIT)} characters (the whole review has ${number(full.length)}). ` +
    "It lists what was not understood, privileged and mislabelled roles and revocations first, then a summary per app and as many grants as fit; " +
    `${whole}.`
  );
}

// One line per role change, naming the person and app, as the per-person blocks of the full review do not fit.
function changeBlock(
  sections: readonly AccessSection[],
  title: string,
  keep: (change: RoleChange) => boolean,
  which: "granted" | "revoked" | "both",
): Block | undefined {
  const ambiguous = ambiguousApps(sections);
  const items: string[] = [];
  for (const section of sections) {
    const where = `${personText(section.person)} · ${appText(section.app, ambiguous.has(section.app.key))}`;
    const line = (verb: string, c: RoleChange): string =>
      `- ${verb === "grants" ? "➕" : "➖"} ${where}: ${verb} ${roleLine(c)} (${code(c.resource)})`;
    if (which !== "revoked") for (const c of section.granted) if (keep(c)) items.push(line("grants", c));
    if (which !== "granted") for (const c of section.revoked) if (keep(c)) items.push(line("revokes", c));
  }
  return items.length > 0 ? { head: [`${title} (${number(items.length)})`], items } : undefined;
}

function appTable(review: AccessReview): string[] {
  interface Row {
    label: string;
    people: Set<string>;
    granted: number;
    revoked: number;
    replacements: number;
    privileged: number;
  }
  const ambiguous = ambiguousApps(review.sections);
  const rows = new Map<string, Row>();
  for (const s of review.sections) {
    const row = rows.get(s.app.key) ?? {
      label: appText(s.app, ambiguous.has(s.app.key)),
      people: new Set(),
      granted: 0,
      revoked: 0,
      replacements: 0,
      privileged: 0,
    };
    row.people.add(s.person.key);
    row.granted += s.granted.length;
    row.revoked += s.revoked.length;
    row.replacements += s.replacements.length;
    row.privileged += [...s.granted, ...s.revoked].filter((c) => c.role.privileged).length;
    rows.set(s.app.key, row);
  }
  if (rows.size === 0) return [];
  const sorted = [...rows.values()].sort((a, b) => b.granted + b.revoked - (a.granted + a.revoked) || (a.label < b.label ? -1 : 1));
  const lines = [
    "#### Summary per app",
    "| App | People | Granted | Revoked | Replacements | Privileged |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of sorted.slice(0, MAX_APP_ROWS)) {
    // The label passed through `text`, which escapes `|`, so a name cannot split the row.
    lines.push(`| ${r.label} | ${[r.people.size, r.granted, r.revoked, r.replacements, r.privileged].map(number).join(" | ")} |`);
  }
  if (sorted.length > MAX_APP_ROWS) lines.push("", `_… and ${count(sorted.length - MAX_APP_ROWS, "more app")} in the full review._`);
  return [...lines, ""];
}

// The block's head and as many items as fit in `room`, with a line saying how many were left out.
function fit(block: Block | undefined, room: number): string[] {
  if (!block) return [];
  const more = (n: number): string => `- … and ${number(n)} more in the full review.`;
  const reserve = size(more(block.items.length)) + 1;
  const lines = [...block.head];
  let used = linesSize(lines) + 1; // the blank line after the block
  if (used + reserve > room) return [];
  let shown = 0;
  for (const item of block.items) {
    const cost = size(item) + 1;
    const last = shown === block.items.length - 1;
    if (used + cost + (last ? 0 : reserve) > room) break;
    lines.push(item);
    used += cost;
    shown += 1;
  }
  if (shown < block.items.length) lines.push(more(block.items.length - shown));
  return blockLines({ head: lines, items: [] });
}

// GitHub counts characters; UTF-8 bytes are never fewer, so a budget in bytes holds however it counts.
function size(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// Each line with the newline that follows it.
function linesSize(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + size(l) + 1, 0);
}
