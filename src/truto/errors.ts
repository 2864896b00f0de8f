/**
 * One error class for everything that can go wrong talking to Truto, with a stable string `code`
 * per kind (in the style of undici's `UND_ERR_*`), the request named, and no credential anywhere.
 */

/** Stable codes; guard on these, not on `instanceof` or message text. */
export const TrutoErrorCodes = {
  unauthorized: "TRUTO_UNAUTHORIZED",
  forbidden: "TRUTO_FORBIDDEN",
  notFound: "TRUTO_NOT_FOUND",
  validation: "TRUTO_VALIDATION",
  conflict: "TRUTO_CONFLICT",
  rateLimited: "TRUTO_RATE_LIMITED",
  remote: "TRUTO_REMOTE_ERROR",
  server: "TRUTO_SERVER_ERROR",
  timeout: "TRUTO_TIMEOUT",
  network: "TRUTO_NETWORK",
  badResponse: "TRUTO_BAD_RESPONSE",
  config: "TRUTO_CONFIG",
  integrationMismatch: "TRUTO_INTEGRATION_MISMATCH",
  partial: "TRUTO_PARTIAL_FAILURE",
  revokeNotConfirmed: "TRUTO_REVOKE_NOT_CONFIRMED",
  grantNotConfirmed: "TRUTO_GRANT_NOT_CONFIRMED",
  lastHolder: "TRUTO_LAST_HOLDER",
  holdersUnknown: "TRUTO_HOLDERS_UNKNOWN",
  accountNotActive: "TRUTO_ACCOUNT_NOT_ACTIVE",
  sandboxAccount: "TRUTO_SANDBOX_ACCOUNT",
  accountBlocked: "TRUTO_ACCOUNT_BLOCKED",
  placementMismatch: "TRUTO_PLACEMENT_MISMATCH",
} as const;

/** One of the values of {@link TrutoErrorCodes}. */
export type TrutoErrorCode = (typeof TrutoErrorCodes)[keyof typeof TrutoErrorCodes];

/** What is known about the HTTP exchange that failed. */
export interface TrutoRequestInfo {
  method?: string;
  /** Path without the query string (ids percent-encoded as sent). */
  path?: string;
  status?: number;
  integratedAccountId?: string;
}

/** Fields of an error that callers may rely on. */
export interface TrutoErrorDetails extends TrutoRequestInfo {
  /** Truto's `message`, redacted. */
  trutoMessage?: string;
  /** `truto_is_remote_error`: the vendor behind Truto answered this, not Truto itself. */
  remote?: boolean;
  /** Field names from `truto_error_insight.missing_required_*`. */
  missingQueryParameters?: string[];
  missingBodyFields?: string[];
  /** Milliseconds the server asked us to wait (429). */
  retryAfterMs?: number;
  /** How many attempts were made for the logical call. */
  attempts?: number;
  cause?: unknown;
}

const HINTS: Partial<Record<TrutoErrorCode, string>> = {
  TRUTO_UNAUTHORIZED:
    "Check that TRUTO_API_TOKEN (or the `truto:apiToken` stack config) is a valid Truto API token for this environment; if the vendor rejected it, reconnect the integrated account in Truto.",
  TRUTO_FORBIDDEN:
    "The token or the integrated account lacks permission for this call; check the account's scopes and role in Truto and in the vendor app.",
  TRUTO_RATE_LIMITED:
    "The rate limit did not clear within the retry budget; run again later or lower the parallelism (`pulumi up --parallel`).",
  TRUTO_TIMEOUT: "Truto did not answer in time; it is safe to run again (writes carry an idempotency key).",
  TRUTO_NETWORK: "Check the network and TRUTO_BASE_URL; it is safe to run again (writes carry an idempotency key).",
  TRUTO_SERVER_ERROR: "Truto or the vendor failed; it is safe to run again.",
  TRUTO_ACCOUNT_BLOCKED:
    "Truto itself answered 503, which means it has blocked this integrated account; retrying cannot help. Check the account in the Truto dashboard or contact Truto support, then run again.",
  TRUTO_BAD_RESPONSE: "Truto answered with something this package does not understand; report it with the request named here.",
};

// Truto's own 404 (not the vendor's) is about the integrated account, not the user.
const ACCOUNT_NOT_VISIBLE =
  "Truto itself (not the vendor) found nothing: check integratedAccountId, and that the token belongs to the Truto environment that holds this integrated account.";

/** The most characters of any one text from a response (a vendor's message, a field name) an error quotes. */
export const MAX_QUOTED_CHARS = 500;

/**
 * The most characters of an error's own summary, which may quote other errors (a partial failure quotes
 * one per role). Past ~30,000 characters the Pulumi host never answered a Create (issue 9, item 6).
 */
export const MAX_SUMMARY_CHARS = 4_000;

// Truto's `truto_error_insight` lists field names: short, and a handful. More is not worth printing.
const MAX_LISTED_FIELDS = 20;
const MAX_FIELD_NAME_CHARS = 100;

/** Details as an error keeps and prints them: every text redacted, then bounded. */
interface CleanDetails extends TrutoErrorDetails {
  summary: string;
  missingQueryParameters: string[];
  missingBodyFields: string[];
  /** How many names each list had before it was cut to MAX_LISTED_FIELDS. */
  missingQueryCount: number;
  missingBodyCount: number;
}

// The one chokepoint: whatever an error will print or hold goes through here, redacted before it is cut,
// so a cut can never leave part of a token behind (issue 9, item 4).
function clean(summary: string, d: TrutoErrorDetails): CleanDetails {
  const names = (list: string[] | undefined) =>
    (list ?? []).slice(0, MAX_LISTED_FIELDS).map((n) => bounded(redact(String(n)), MAX_FIELD_NAME_CHARS));
  return {
    ...d,
    summary: bounded(redact(summary), MAX_SUMMARY_CHARS),
    trutoMessage: d.trutoMessage === undefined ? undefined : bounded(redact(d.trutoMessage)),
    missingQueryParameters: names(d.missingQueryParameters),
    missingBodyFields: names(d.missingBodyFields),
    missingQueryCount: d.missingQueryParameters?.length ?? 0,
    missingBodyCount: d.missingBodyFields?.length ?? 0,
  };
}

/** The one error class of this package. */
export class TrutoError extends Error {
  override readonly name = "TrutoError";
  readonly code: TrutoErrorCode;
  /** What went wrong, without the request, Truto's message or the hint (redacted and bounded). */
  readonly summary: string;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly integratedAccountId?: string;
  readonly trutoMessage?: string;
  readonly remote: boolean;
  readonly missingQueryParameters: string[];
  readonly missingBodyFields: string[];
  readonly retryAfterMs?: number;
  readonly attempts?: number;
  /** The message without its leading `[CODE] `, for an error that quotes this one under a code of its own. */
  readonly detail: string;

  constructor(code: TrutoErrorCode, summary: string, details: TrutoErrorDetails = {}) {
    const d = clean(summary, details);
    const message = composeMessage(code, d);
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.detail = message.slice(`[${code}] `.length);
    this.code = code;
    this.summary = d.summary;
    this.method = d.method;
    this.path = d.path;
    this.status = d.status;
    this.integratedAccountId = d.integratedAccountId;
    this.trutoMessage = d.trutoMessage;
    this.remote = d.remote ?? false;
    this.missingQueryParameters = d.missingQueryParameters;
    this.missingBodyFields = d.missingBodyFields;
    this.retryAfterMs = d.retryAfterMs;
    this.attempts = d.attempts;
  }
}

function composeMessage(code: TrutoErrorCode, d: CleanDetails): string {
  const { summary } = d;
  const where = d.method && d.path ? `Truto ${d.method} ${d.path}` : "Truto";
  const account = d.integratedAccountId ? ` (integrated account ${d.integratedAccountId})` : "";
  const status = d.status ? ` answered ${d.status}` : "";
  const list = (names: string[], count: number) => names.join(", ") + (count > names.length ? ` (and ${count - names.length} more)` : "");
  // The code leads: the host passes only the message to Pulumi, and people search logs for it.
  const parts = [`[${code}] ${where}${account}${status}: ${summary}`];
  if (d.trutoMessage && !summary.includes(d.trutoMessage)) parts.push(`Truto says: "${d.trutoMessage}".`);
  if (d.missingQueryParameters.length) parts.push(`Missing query parameters: ${list(d.missingQueryParameters, d.missingQueryCount)}.`);
  if (d.missingBodyFields.length) parts.push(`Missing body fields: ${list(d.missingBodyFields, d.missingBodyCount)}.`);
  if (d.remote) parts.push("(The vendor behind Truto returned this error.)");
  if (d.attempts && d.attempts > 1) parts.push(`Gave up after ${d.attempts} attempts.`);
  const hint = code === TrutoErrorCodes.notFound && d.status === 404 && !d.remote ? ACCOUNT_NOT_VISIBLE : HINTS[code];
  if (hint && !summary.includes(hint)) parts.push(hint);
  // The path and account id are ours, but a last pass costs little and covers anything added here later.
  return redact(parts.join(" "));
}

/** Whether `e` is a TrutoError (or any error carrying one of our codes), optionally of `code`. */
export function isTrutoError(e: unknown, code?: TrutoErrorCode): e is TrutoError {
  if (typeof e !== "object" || e === null) return false;
  const c = (e as { code?: unknown }).code;
  if (typeof c !== "string" || !c.startsWith("TRUTO_")) return false;
  return code === undefined || c === code;
}

/**
 * The error code for an HTTP status, given whether the vendor (not Truto) produced it. Truto's own 405 and
 * 503 name the integrated account: a sandbox account refuses writes, and 503 means the account is blocked
 * (Truto error model, https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md).
 */
export function codeForStatus(status: number, remote: boolean, hasMissingFields: boolean): TrutoErrorCode {
  if (status === 401) return TrutoErrorCodes.unauthorized;
  if (status === 405 && !remote) return TrutoErrorCodes.sandboxAccount;
  if (status === 503 && !remote) return TrutoErrorCodes.accountBlocked;
  if (status === 403 || status === 405) return TrutoErrorCodes.forbidden;
  if (status === 404) return TrutoErrorCodes.notFound;
  if (status === 409) return TrutoErrorCodes.conflict;
  if (status === 429) return TrutoErrorCodes.rateLimited;
  if (status >= 500) return TrutoErrorCodes.server;
  if (hasMissingFields) return TrutoErrorCodes.validation;
  return remote ? TrutoErrorCodes.remote : TrutoErrorCodes.validation;
}

/** Cuts `text` to `max` characters, saying how many more there were. Redact first: see {@link redact}. */
export function bounded(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: half a character prints as garbage.
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
}

const REDACTED = "[redacted]";
// Shorter secrets would redact ordinary words; no real API token is this short.
const MIN_SECRET_CHARS = 4;

// Every token a client in this process was given (see registerSecret), with the pattern that finds it.
const registered = new Map<string, RegExp>();

/**
 * Remembers `secret` (a client's API token) so that every TrutoError, whoever builds it, and every call
 * of {@link redact} removes it. A token is a handful per process, so the registry stays tiny.
 */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= MIN_SECRET_CHARS && !registered.has(secret)) registered.set(secret, secretPattern(secret));
}

/**
 * Removes the given and every registered secret from `text`, raw, percent-encoded (either case of hex,
 * double-encoded, form-encoded `+`/space), JSON-escaped (`\\/`) and base64-encoded (as an echoed Basic header
 * carries it), and any credential-looking value after `Bearer`, `Basic`, `token=` and the like. Error
 * messages quote Truto and vendors, which can echo a header or a URL back. Run it before any cut.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= MIN_SECRET_CHARS && !registered.has(s)) out = out.replace(secretPattern(s), REDACTED);
  }
  for (const pattern of registered.values()) out = out.replace(pattern, REDACTED);
  return out
    .replace(AFTER_SCHEME, (m, scheme: string, sep: string, value: string) =>
      looksLikeCredential(value) ? `${scheme}${sep}${REDACTED}` : m,
    )
    .replace(AFTER_KEY, (m, key: string, sep: string, value: string) => (looksLikeCredential(value) ? `${key}${sep}${REDACTED}` : m));
}

// A token68-like value (RFC 9110 §11.2), percent-escapes allowed, after an auth scheme or a credential key.
// Not \b before the name: in `%20Bearer` the 0 is a word character.
const VALUE = String.raw`([A-Za-z0-9._~+/%-]+=*)`;
const AFTER_SCHEME = new RegExp(String.raw`(?<![A-Za-z])(Bearer|Basic)((?:\s|%20|\+)+)` + VALUE, "gi");
const AFTER_KEY = new RegExp(
  String.raw`(?<![A-Za-z])(authorization|x-api-key|api[_-]?key|access[_-]?token|token)((?:\s|%20)*(?::|=|%3A|%3D)(?:\s|%20|"|%22)*)` +
    VALUE,
  "gi",
);

// Only what looks like a credential: Truto's own 401 says "Invalid bearer token. Use the token…", and
// eating the word after "Bearer" garbled it. A token is long and mixes letters and digits (or is very long).
function looksLikeCredential(value: string): boolean {
  const plain = value.replace(/%[0-9a-f]{2}/gi, "x");
  return (plain.length >= 12 && /\d/.test(plain) && /[a-z]/i.test(plain)) || plain.length >= 24;
}

function secretPattern(secret: string): RegExp {
  const forms = [secret, ...base64Forms(secret)].sort((a, b) => b.length - a.length);
  return new RegExp(forms.map((form) => Array.from(form, charPattern).join("")).join("|"), "g");
}

function charPattern(ch: string): string {
  const hex = (b: number) =>
    b
      .toString(16)
      .toUpperCase()
      .padStart(2, "0")
      .replace(/[A-F]/g, (c) => `[${c}${c.toLowerCase()}]`);
  const forms = [ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"), Array.from(Buffer.from(ch, "utf8"), (b) => `%(?:25)?${hex(b)}`).join("")];
  // Form encoding swaps space and +: a + sent can come back as a space, a space as a +.
  if (ch === " ") forms.push("\\+");
  if (ch === "+") forms.push(" ");
  if (ch === "/") forms.push("\\\\/");
  return `(?:${forms.join("|")})`;
}

// The token's base64 at each of the three byte alignments, minus the edge characters that depend on
// what surrounds it: an echoed `Basic base64(user:token)` contains one of these whatever the user is.
function base64Forms(secret: string): string[] {
  if (secret.length < 12) return [];
  const bytes = Buffer.from(secret, "utf8");
  const out = new Set<string>();
  for (let shift = 0; shift < 3; shift++) {
    const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const core = text.slice(Math.ceil((4 * shift) / 3), Math.floor((4 * (shift + bytes.length)) / 3));
    out.add(core);
    out.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...out];
}
