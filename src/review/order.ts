/**
 * One sort order for everything the review lists, so the same preview always renders the same text even
 * though the engine's step order is not stable between runs.
 */
import type { ReviewedRole } from "./roles";

/** Compares case-insensitively first, then exactly, without depending on the machine's locale. */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders roles by their label (the vendor's name, else the declared name, else the id), then by the rest of their identity. */
export function compareRoleOrder(a: ReviewedRole & { knownName?: string }, b: ReviewedRole & { knownName?: string }): number {
  return (
    compareText(a.knownName ?? a.name ?? a.id, b.knownName ?? b.name ?? b.id) ||
    compareText(a.id, b.id) ||
    compareText(a.workspace ?? "", b.workspace ?? "") ||
    compareText(a.organization ?? "", b.organization ?? "") ||
    compareText(a.group ?? "", b.group ?? "")
  );
}
