/**
 * Small numeric helpers for reporting: the median of repeated runs and fixed rounding.
 */

/** The median of `values` (the mean of the middle two for an even count); throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median: no values were measured; the scenario produced no runs.");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `value` rounded to `digits` decimals, as a number (for JSON that reads well). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The p50 and p90 of a set of durations. */
export interface Percentiles {
  p50: number;
  p90: number;
}

/** Nearest-rank p50 and p90 of `values`, rounded to 0.1; zeros for an empty list (nothing was timed). */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)], 1);
  return { p50: at(0.5), p90: at(0.9) };
}
