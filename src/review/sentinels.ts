/**
 * The placeholder strings `pulumi preview --json` prints instead of values it cannot or must not show.
 *
 * Secrets are replaced by `"[secret]"` at any depth (pkg/backend/display/json.go calls
 * MassageSecrets with showSecrets=false even under --show-secrets), and every unknown value, whatever
 * its type, by the string-typed unknown sentinel (pkg/resource/stack/deployment.go).
 */

import { UNKNOWN_SENTINELS, isUnknown } from "../provider/unknowns";

/** The string Pulumi prints for a value that is known only at `pulumi up`. */
export const UNKNOWN_VALUE = UNKNOWN_SENTINELS.string;

/** The string `pulumi preview --json` prints in place of every secret value. */
export const SECRET_VALUE = "[secret]";

/** Why a value cannot be shown: known only at `up`, marked secret, or not in the shape our resource writes. */
export type HiddenReason = "unknown" | "secret" | "unreadable";

/** Says which placeholder `value` is, or `undefined` for an ordinary value. */
export function placeholderOf(value: unknown): "unknown" | "secret" | undefined {
  if (value === SECRET_VALUE) return "secret";
  // The JSON digest prints the string sentinel, but a typed one must not make an unknown `roles`
  // array look malformed, so every sentinel counts.
  if (isUnknown(value)) return "unknown";
  return undefined;
}
