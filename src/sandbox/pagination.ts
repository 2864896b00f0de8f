import { trutoError } from "./errors";

/** Truto's list envelope. */
export interface ListEnvelope<T> {
  result: T[];
  next_cursor: string | null;
  prev_cursor: null;
  result_count: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const CURSOR_PREFIX = "sbx1.";

function encodeCursor(offset: number): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === "") return 0;
  if (typeof cursor === "string" && cursor.startsWith(CURSOR_PREFIX)) {
    try {
      const decoded = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString("utf8")) as unknown;
      const offset = (decoded as { offset?: unknown } | null)?.offset;
      if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
    } catch {
      // Falls through to the error below: a cursor this sandbox did not issue.
    }
  }
  throw trutoError(400, "next_cursor is not a cursor this sandbox issued. Pass back the next_cursor of the previous page unchanged.");
}

function parseLimit(limit: unknown, ignoreLimit: boolean, total: number): number {
  if (ignoreLimit) return Math.max(total, 1);
  if (limit === undefined || limit === "") return DEFAULT_LIMIT;
  const parsed = typeof limit === "string" && /^\d+$/.test(limit) ? Number(limit) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw trutoError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}; got ${JSON.stringify(limit)}.`);
  }
  return Math.min(parsed, MAX_LIMIT);
}

/**
 * One page of `items` per the query's `limit` (default 50, at most 200) and opaque `next_cursor`;
 * `truto_ignore_limit=true` returns everything at once.
 */
export function paginate<T>(items: readonly T[], query: Record<string, unknown>): ListEnvelope<T> {
  const offset = decodeCursor(query.next_cursor);
  const limit = parseLimit(query.limit, query.truto_ignore_limit === "true", items.length);
  const result = items.slice(offset, offset + limit);
  const end = offset + result.length;
  return {
    result,
    next_cursor: end < items.length ? encodeCursor(end) : null,
    prev_cursor: null,
    result_count: result.length,
  };
}
