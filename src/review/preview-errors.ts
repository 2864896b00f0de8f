/**
 * The errors a failed preview reported, as text a pull-request comment may quote: colour codes and the
 * engine's "error: " prefix dropped, every credential-looking value redacted before anything is cut.
 */
import { bounded, redact } from "../truto/errors";
import type { PreviewDiagnostic } from "./digest";

/** One error diagnostic of the preview, ready to print. */
export interface PreviewError {
  /** The resource name (the URN's last segment), when the diagnostic names a resource. */
  readonly resource?: string;
  readonly urn?: string;
  /** The message, redacted and bounded. */
  readonly message: string;
}

/** The most errors a review quotes; a preview that fails this often says enough in the first few. */
export const MAX_QUOTED_ERRORS = 10;
const MAX_ERROR_CHARS = 2_000;
const MAX_OUTPUT_CHARS = 4_000;

// Tokens by their well-known shapes, wherever they stand (redact() finds them only after a key or scheme):
// JWTs, GitHub, Slack and Stripe-style keys, Pulumi access tokens, this package's sandbox tokens.
const TOKEN_SHAPES = [
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}/g,
  /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g,
  /\bpul-[a-f0-9]{20,}/g,
  /\bsbx_[A-Za-z0-9_-]{8,}/g,
];

/**
 * `text` with `secrets` (e.g. the API tokens in the environment), every value after `Bearer`, `token=`,
 * `api_key:` and the like, and every token of a well-known shape replaced by "[redacted]".
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  return TOKEN_SHAPES.reduce((out, shape) => out.replace(shape, "[redacted]"), redact(text, secrets));
}

/** The error diagnostics of a preview, in its order, at most {@link MAX_QUOTED_ERRORS}. */
export function previewErrors(diagnostics: readonly PreviewDiagnostic[], secrets: readonly (string | undefined)[] = []): PreviewError[] {
  return diagnostics
    .filter((d) => d.severity === "error")
    .slice(0, MAX_QUOTED_ERRORS)
    .map((d) => {
      const message = cleanMessage(d.message ?? "", secrets, MAX_ERROR_CHARS).replace(/^error:\s*/i, "");
      const resource = d.urn?.split("::").pop();
      return { ...(d.urn ? { urn: d.urn, ...(resource ? { resource } : {}) } : {}), message: message || "(no message)" };
    });
}

/** What the CLI printed instead of JSON (its error, usually), cleaned like a diagnostic and cut to its end. */
export function printedOutput(text: string, secrets: readonly (string | undefined)[] = []): string {
  const clean = cleanMessage(text, secrets, Number.MAX_SAFE_INTEGER);
  // The error that made the preview fail is printed last.
  return clean.length <= MAX_OUTPUT_CHARS ? clean : `… ${clean.slice(-MAX_OUTPUT_CHARS)}`;
}

// Redacted first, then cut, so a cut never leaves part of a token behind.
function cleanMessage(text: string, secrets: readonly (string | undefined)[], max: number): string {
  const plain = text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/<\{%[^%]*%\}>/g, "")
    .replace(/\r\n?/g, "\n")
    .trim();
  return bounded(redactText(plain, secrets), max);
}
