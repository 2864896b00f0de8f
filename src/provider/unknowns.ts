/**
 * Pulumi's unknown-value sentinels. During preview the engine sends one of these strings in place of any
 * value not yet known (pulumi/pulumi pkg/resource/plugin/rpc.go); the Node host passes the string one
 * for every type, so a whole `roles` array can arrive as a string (pulumi/pulumi#6310).
 */

/** The seven sentinel strings, by the type they stand for. */
export const UNKNOWN_SENTINELS = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS: ReadonlySet<unknown> = new Set(Object.values(UNKNOWN_SENTINELS));

/** Whether `v` is one of Pulumi's unknown-value sentinels. */
export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && SENTINELS.has(v);
}

/** Whether `v` is, or contains at any depth, an unknown-value sentinel. */
export function containsUnknown(v: unknown, depth = 0): boolean {
  if (isUnknown(v)) return true;
  if (depth > 64 || v === null || typeof v !== "object") return false;
  const values = Array.isArray(v) ? v : Object.values(v);
  return values.some((x) => containsUnknown(x, depth + 1));
}
