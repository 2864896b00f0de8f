/**
 * The HTTP transport to Truto: bearer auth, JSON, query encoding, per-request timeouts and a deadline
 * per logical call, retries with backoff, idempotency keys on writes, and per-account pacing.
 */
import { createHash, randomUUID } from "node:crypto";
import { Agent, request as undiciRequest, type Dispatcher } from "undici";
import { TrutoError, TrutoErrorCodes, isTrutoError, redact, registerSecret } from "./errors";
import {
  RateGovernor,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TOKEN_RATE_LIMIT,
  serverWaitRefusal,
  type GovernorSettings,
  type LaneKeys,
  type RateLimitSettings,
} from "./governor";
import { DEFAULT_RETRY_POLICY, retryAfterFromHeaders, retryDecision, type AttemptOutcome, type RetryPolicy } from "./retry";
import { errorFromResponse } from "./response-errors";
import type { ResponseSchema } from "./wire-types";
import { DEFAULT_BASE_URL, checkBaseUrl } from "./base-url";
import { encodeQuery } from "./request-size";

export { DEFAULT_BASE_URL, checkBaseUrl } from "./base-url";
export { encodeQuery } from "./request-size";

/** Per-request timeout, as Truto's TypeScript SDK uses. */
export const DEFAULT_TIMEOUT_MS = 30_000;

// An attempt with less time than this left is not worth starting: it could only fail as a timeout
// ("no answer within 1 ms", issue 9, item 5). Shorter when the timeout or the budget is.
const MIN_ATTEMPT_MS = 1_000;

/** Settings for a {@link TrutoClient}. */
export interface TrutoClientOptions {
  token: string;
  /** Default `https://api.truto.one`; plain `http://` is allowed only for loopback (the sandbox). */
  baseUrl?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Per-account pacing; default 50 requests per 10 s, Truto's limit. `false` turns it off. */
  rateLimit?: RateLimitSettings;
  /** Per-token pacing across every account of the process; default 500 requests per 10 s, Truto's limit. `false` turns it off. */
  tokenRateLimit?: RateLimitSettings;
  userAgent?: string;
  /** How long a finished read may serve others (a refresh of many assignments of one user); default 2 s, 0 turns it off. */
  readCacheMs?: number;
  /** How reads are served; default `coalesced`. */
  readStrategy?: ReadStrategy;
}

/**
 * How reads are served: `coalesced` lets reads of one account (or Slack workspace) pending together share a
 * paged listing where that costs fewer requests; `per-resource` reads each assignment on its own.
 */
export type ReadStrategy = "coalesced" | "per-resource";

/** The default of {@link TrutoClientOptions.readCacheMs}. */
export const DEFAULT_READ_CACHE_MS = 2_000;

/** One logical call. */
export interface TrutoRequest {
  method: "GET" | "POST";
  /** Path with every parameter already encoded by {@link encodePathSegment}. */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Paces and names the call; also sent as the `integrated_account_id` query parameter. */
  integratedAccountId?: string;
}

// One keep-alive connection pool per process, shared by every client.
let sharedDispatcher: Dispatcher | undefined;
function dispatcher(): Dispatcher {
  sharedDispatcher ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  return sharedDispatcher;
}

// One governor per process and limit settings, shared by every call on an account or a token.
const governors = new Map<string, RateGovernor>();
function governorFor(settings: GovernorSettings): RateGovernor {
  const text = (s: RateLimitSettings) => (s ? `${s.limit}/${s.windowMs}` : "off");
  const key = `${text(settings.account)} ${text(settings.token)}`;
  let g = governors.get(key);
  if (!g) {
    g = new RateGovernor(settings);
    governors.set(key, g);
  }
  return g;
}

/** Percent-encodes one path parameter so `a/b`, `../x`, `?` or `#` stay a single segment. */
export function encodePathSegment(value: string): string {
  // URL parsers resolve `.` and `..` (even as %2E%2E) as dot-segments, so no encoding can carry them.
  if (value === "." || value === "..") {
    throw new TrutoError(
      TrutoErrorCodes.validation,
      `the id "${value}" cannot be sent as a URL path segment; URL parsers resolve it as a relative path.`,
    );
  }
  return encodeURIComponent(value);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A Truto API client; cheap to construct, since pools and governors are per process. */
export class TrutoClient {
  readonly baseUrl: string;
  /** How long a finished read may serve others; see {@link TrutoClientOptions.readCacheMs}. */
  readonly readCacheMs: number;
  /** How reads are served; see {@link TrutoClientOptions.readStrategy}. */
  readonly readStrategy: ReadStrategy;
  // A true private field: JSON.stringify and util.inspect of a client never show the token.
  readonly #token: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly governor: RateGovernor;
  /** The token's lane in the governor: a digest, so the token itself is kept in one place only. */
  private readonly tokenLane: string;
  private readonly userAgent: string;

  constructor(options: TrutoClientOptions) {
    if (!options.token) throw new TrutoError(TrutoErrorCodes.config, "no API token was given.");
    const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const problem = checkBaseUrl(base);
    if (problem) throw new TrutoError(TrutoErrorCodes.config, `the base URL is not usable: ${problem}.`);
    this.baseUrl = base;
    this.#token = options.token;
    // From now on every TrutoError in this process, whoever builds it, redacts this token.
    registerSecret(options.token);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.readCacheMs = options.readCacheMs ?? DEFAULT_READ_CACHE_MS;
    this.readStrategy = options.readStrategy ?? "coalesced";
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.governor = governorFor({
      account: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      token: options.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT,
    });
    this.tokenLane = `${base}|${createHash("sha256").update(options.token).digest("base64url").slice(0, 22)}`;
    this.userAgent = options.userAgent ?? "pulumi-truto-access";
  }

  /** Performs one logical call, retrying as the policy allows, and validates the answer with `schema`. */
  async call<T>(req: TrutoRequest, schema: ResponseSchema<T>): Promise<T> {
    return validated(req, schema, await this.send(req));
  }

  /** The URL `req` is sent to, exactly; callers measure it to split writes (see request-size.ts). */
  urlFor(req: TrutoRequest): string {
    const query = { ...(req.integratedAccountId ? { integrated_account_id: req.integratedAccountId } : {}), ...req.query };
    const qsText = encodeQuery(query);
    return `${this.baseUrl}${req.path}${qsText ? `?${qsText}` : ""}`;
  }

  private async send(req: TrutoRequest): Promise<unknown> {
    const url = this.urlFor(req);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    let payload: string | undefined;
    if (req.method !== "GET") {
      headers["content-type"] = "application/json";
      // The same key on every retry of this logical call, so a retried write is applied once.
      headers["idempotency-key"] = randomUUID();
      payload = JSON.stringify(req.body ?? {});
    }
    const accountLane = req.integratedAccountId === undefined ? undefined : `${this.baseUrl}|${req.integratedAccountId}`;
    const lanes: LaneKeys = { account: accountLane, token: this.tokenLane };
    const started = Date.now();
    const named = { method: req.method, path: req.path, integratedAccountId: req.integratedAccountId };
    const reserveMs = Math.min(MIN_ATTEMPT_MS, this.timeoutMs, this.policy.budgetMs / 2);
    // No wait, the governor's included, may leave this call less than reserveMs for its attempt.
    const lastStart = started + this.policy.budgetMs - reserveMs;
    let previous: TrutoError | undefined;

    for (let attempt = 1; ; attempt++) {
      if (previous && Date.now() > lastStart) throw previous;
      const release = await this.turn(lanes, lastStart, { ...named, attempts: attempt - 1 });
      const remainingBudget = this.policy.budgetMs - (Date.now() - started);
      const timeout = Math.max(1, Math.min(this.timeoutMs, remainingBudget));
      let outcome: AttemptOutcome;
      let failure: TrutoError;
      // A signal, not headersTimeout/bodyTimeout: undici 7 ignores those per request (measured: an 800 ms
      // answer passed a 300 ms headersTimeout). Our own timer, cleared on completion, rather than
      // AbortSignal.timeout, whose timer lives on for the full timeout after every request.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new TimeoutError(timeout)), timeout);
      try {
        const res = await undiciRequest(url, {
          method: req.method,
          headers,
          body: payload,
          dispatcher: dispatcher(),
          signal: abort.signal,
        });
        const text = await res.body.text();
        clearTimeout(timer);
        release?.();
        const rl = rateLimitHeaders(res.headers);
        if (accountLane !== undefined) this.governor.observe(accountLane, { status: res.statusCode, ...rl });
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const parsed = parseJson(text);
          if (parsed.ok) return parsed.value;
          failure = new TrutoError(TrutoErrorCodes.badResponse, "the response body is not valid JSON.", {
            ...named,
            status: res.statusCode,
            attempts: attempt,
          });
          // A garbled read is worth another try; a garbled write answer is not (the caller reads back).
          if (req.method !== "GET") throw failure;
          outcome = { kind: "network" };
        } else {
          failure = errorFromResponse(res.statusCode, text, rl.retryAfterMs, { ...named, attempts: attempt });
          outcome = { kind: "status", status: res.statusCode, remote: failure.remote, retryAfterMs: rl.retryAfterMs };
        }
      } catch (e) {
        clearTimeout(timer);
        release?.();
        if (e instanceof TrutoError) throw e;
        const timedOut = isTimeout(e);
        outcome = timedOut ? { kind: "timeout" } : { kind: "network" };
        failure = new TrutoError(
          timedOut ? TrutoErrorCodes.timeout : TrutoErrorCodes.network,
          timedOut ? `no answer within ${timeout} ms.` : `the connection failed (${networkReason(e)}).`,
          { ...named, attempts: attempt, cause: stripError(e) },
        );
      }
      const decision = retryDecision(outcome, attempt, Date.now() - started, this.policy);
      if (!decision.retry) throw (decision.reason === "budget" && this.tooLongToWait(failure, started)) || failure;
      previous = failure;
      await sleep(decision.delayMs);
    }
  }

  // The governor's turn for this call, never past `lastStart`; a refusal names the request.
  private async turn(
    lanes: LaneKeys,
    lastStart: number,
    named: { method: string; path: string; integratedAccountId?: string; attempts: number },
  ) {
    try {
      return await this.governor.acquire(lanes, { deadline: lastStart, maxServerWaitMs: this.policy.maxDelayMs });
    } catch (e) {
      if (!isTrutoError(e)) throw e;
      throw new TrutoError(e.code, e.summary, { ...named, retryAfterMs: e.retryAfterMs });
    }
  }

  // A failure whose Retry-After is more than this call may wait says so, and how long Truto asked for.
  private tooLongToWait(failure: TrutoError, started: number): TrutoError | undefined {
    const asked = failure.retryAfterMs;
    const leftMs = this.policy.budgetMs - (Date.now() - started);
    if (asked === undefined || (asked <= this.policy.maxDelayMs && asked < leftMs)) return undefined;
    return new TrutoError(failure.code, serverWaitRefusal(asked, { maxWaitMs: this.policy.maxDelayMs, leftMs }), {
      method: failure.method,
      path: failure.path,
      status: failure.status,
      integratedAccountId: failure.integratedAccountId,
      trutoMessage: failure.trutoMessage,
      remote: failure.remote,
      retryAfterMs: asked,
      attempts: failure.attempts,
    });
  }
}

/**
 * `value`, a part of `req`'s answer found at `at`, validated by `schema`. A mismatch is a TRUTO_BAD_RESPONSE that
 * names the request and where in the answer the first problem is.
 */
export function validated<T>(
  req: Pick<TrutoRequest, "method" | "path" | "integratedAccountId">,
  schema: ResponseSchema<T>,
  value: unknown,
  at: readonly PropertyKey[] = [],
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first ? `${[...at, ...first.path].map(String).join(".") || "(root)"}: ${first.message}` : "unexpected shape";
  throw new TrutoError(TrutoErrorCodes.badResponse, `the response did not have the expected shape (${where}).`, {
    method: req.method,
    path: req.path,
    integratedAccountId: req.integratedAccountId,
  });
}

function rateLimitHeaders(headers: Record<string, string | string[] | undefined>): {
  retryAfterMs?: number;
  remaining?: number;
  resetMs?: number;
} {
  const one = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const remaining = Number.parseInt(one("ratelimit-remaining") ?? "", 10);
  const reset = Number.parseFloat(one("ratelimit-reset") ?? "");
  return {
    retryAfterMs: retryAfterFromHeaders(headers),
    remaining: Number.isFinite(remaining) ? remaining : undefined,
    resetMs: Number.isFinite(reset) ? Math.ceil(reset * 1000) : undefined,
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function isTimeout(e: unknown): boolean {
  const err = e as { name?: string; code?: string };
  return (
    err instanceof TimeoutError ||
    err?.name === "TimeoutError" ||
    err?.name === "AbortError" ||
    err?.code === "UND_ERR_HEADERS_TIMEOUT" ||
    err?.code === "UND_ERR_BODY_TIMEOUT" ||
    err?.code === "UND_ERR_CONNECT_TIMEOUT"
  );
}

function networkReason(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return err?.code ?? err?.cause?.code ?? err?.message ?? "unknown error";
}

// undici errors can hold the request options (and so the Authorization header); keep only what is safe.
function stripError(e: unknown): Error {
  const err = e as { name?: string; code?: string; message?: string };
  const copy = new Error(redact(err?.message ?? String(e)));
  copy.name = err?.name ?? "Error";
  if (err?.code) (copy as Error & { code?: string }).code = err.code;
  return copy;
}
