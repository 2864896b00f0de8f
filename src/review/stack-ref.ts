/**
 * Which Pulumi project and stack a preview is of, read from its URNs (`urn:pulumi:<stack>::<project>::…`),
 * and the hidden marker that lets a workflow keep one pull-request comment per stack up to date.
 */
import type { PreviewDigest } from "./digest";

/** A project and stack; either is absent when the preview does not say and no flag gave it. */
export interface StackRef {
  readonly project?: string;
  readonly stack?: string;
}

/** The start of every review comment's marker line; a workflow finds its comment by the whole line. */
export const MARKER_PREFIX = "<!-- pulumi-truto-access:review";

const URN = /^urn:pulumi:([^:]+)::([^:]+)::/;

/** The stack and project of the first URN in `digest` (steps, then diagnostics), as far as it has one. */
export function stackRefOf(digest: Pick<PreviewDigest, "steps" | "diagnostics">): StackRef {
  const urns = [...digest.steps.map((s) => s.urn), ...digest.diagnostics.map((d) => d.urn ?? "")];
  for (const urn of urns) {
    const match = URN.exec(urn);
    if (match) return { stack: match[1] as string, project: match[2] as string };
  }
  return {};
}

/** `ref` with the parts `overrides` gives (a `--project` / `--stack` flag wins over the URNs). */
export function withOverrides(ref: StackRef, overrides: StackRef): StackRef {
  const project = overrides.project ?? ref.project;
  const stack = overrides.stack ?? ref.stack;
  return { ...(project ? { project } : {}), ...(stack ? { stack } : {}) };
}

/** "project/stack", "stack", "project", or undefined when neither is known. */
export function stackRefText(ref: StackRef): string | undefined {
  if (ref.project && ref.stack) return `${ref.project}/${ref.stack}`;
  return ref.stack ?? ref.project;
}

/**
 * The comment's first line: `<!-- pulumi-truto-access:review project/stack -->`, or
 * `<!-- pulumi-truto-access:review -->` when neither is known. Only name characters are kept, so a
 * name can never close the HTML comment early.
 */
export function reviewMarker(ref: StackRef): string {
  const clean = (s: string | undefined): string | undefined => s?.replace(/[^A-Za-z0-9._/-]/g, "") || undefined;
  const where = stackRefText({
    ...(clean(ref.project) ? { project: clean(ref.project) } : {}),
    ...(clean(ref.stack) ? { stack: clean(ref.stack) } : {}),
  });
  return where ? `${MARKER_PREFIX} ${where} -->` : `${MARKER_PREFIX} -->`;
}
