/**
 * Small helpers that turn values from the preview into Markdown that renders as the value itself: a
 * user name cannot open a link, a heading or an HTML tag in the pull-request comment.
 */

const MAX_VALUE_LENGTH = 120;

/** `value` as plain Markdown text: control characters flattened, length capped, Markdown syntax escaped. */
export function text(value: string): string {
  return clip(value).replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

/** `value` as an inline code span, with a fence longer than any run of backticks inside it. */
export function code(value: string): string {
  const clean = clip(value);
  if (clean === "") return "(empty)";
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

const NUMBER = new Intl.NumberFormat("en-US");

/** `n` with thousands separators ("4,900"), the same on every machine. */
export function number(n: number): string {
  return NUMBER.format(n);
}

/** "1 role", "2 roles", "1,200 roles"; `plural` for irregular words ("people"). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${number(n)} ${n === 1 ? singular : plural}`;
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The first `max` items as a list, with "and N more" for the rest, so one resource cannot flood a comment. */
export function boundedList(items: readonly string[], max: number): string {
  if (items.length <= max) return listText(items);
  return listText([...items.slice(0, max), `${items.length - max} more`]);
}

function clip(value: string): string {
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  return flat.length > MAX_VALUE_LENGTH ? `${flat.slice(0, MAX_VALUE_LENGTH - 1)}…` : flat;
}
