/**
 * A local Truto-compatible server for the Unified User Directory role methods: the same routes,
 * envelopes, per-integration field rules and errors as Truto, with persistence, fault injection,
 * a request log and Truto's rate limits, so clients can be tested without a Truto account.
 *
 * Admin API (same bearer token), under /_sandbox:
 * - GET /state → the SandboxState JSON; PUT /state replaces it (validated, 400 if malformed). An account's
 *   optional `status`, `isSandbox` and `blocked` model Truto's account states: GET /integrated-account/{id}
 *   answers `status` and `is_sandbox`; a blocked account answers 503 to every unified call, a `needs_reauth`
 *   one a vendor 401, and a sandbox account 405 to every unified write.
 * - POST /faults {method, path, count, status?, retryAfter?, headers?, body?, remote?, delayMs?, drop?,
 *   malformed?, noop?, probability?, seed?} → 201 {id, ...}; GET /faults lists them; DELETE /faults → {cleared}.
 *   `remote: true` answers as the vendor behind Truto (`truto_is_remote_error: true`, `raw_response` worded as the
 *   vendor of the call's account words errors).
 *   With `probability`, each matching request is disturbed with that chance (seeded, so runs repeat).
 * - GET /requests?since=SEQ&limit=N → {requests: [{seq, at, method, path, query, body, status,
 *   idempotencyKey?, integratedAccountId?}] oldest first, after `since`; dropped; next (the `since`
 *   of the next page, or null)}; DELETE /requests → {cleared}. Unauthenticated requests are logged
 *   as method, path and status only.
 * - POST /reset → the seed state again, with faults, log, rate windows, idempotency cache and
 *   settings back to how the sandbox started.
 * - GET /config; PATCH /config {rateLimit?, tokenRateLimit?, vendorQuota?, latencyMs?, strictIdempotency?} → the settings
 *   now. `rateLimit` (default 50 per 10 s per integrated account, on /unified) and `tokenRateLimit` (default 500 per 10 s
 *   per API token, on every API request) are Truto's own: past either, Truto's three-field 429 with
 *   `Retry-After: <window in seconds>` and no `ratelimit-*` headers. `vendorQuota` (default false) is the vendor's quota
 *   per integrated account: /unified answers the vendor gave carry `ratelimit-limit: "<limit>;w=<seconds>"`,
 *   `ratelimit-remaining` and `ratelimit-reset`, and past it the vendor's 429 comes through (`truto_is_remote_error`,
 *   `raw_response`, `truto_error_insight.rate_limit_error`, `Retry-After` = the reset). A 429 is counted in no window.
 * - PUT /meta/{integration}/{method} {any JSON object, or exactly {absent: true}} → {integration, method, answer}: what
 *   GET …/meta/{method} answers for that integration's assign-role or unassign-role (both forms) instead of the
 *   sandbox's own description, or Truto's 404 for `absent`; DELETE /meta/{integration}/{method} → {integration, method,
 *   restored} gives the sandbox's own back (so does POST /reset).
 *
 * Meta (Truto's "unified model docs"): GET /unified/user-directory/users/meta/{method}?integrated_account_id=… and
 * GET /unified/user-directory/users/{integration}/meta/{method}, for assign-role and unassign-role, answer
 * {query_schema, request_body_schema, response_schema, default_query: {}, default_body: {}} from the sandbox's own
 * rules: a field read from a place is a property there, required there only if the rules require it there.
 *
 * This module must never import the client (src/truto, src/integrations, src/provider): it models
 * Truto on its own, so a client that puts a field in the wrong place gets Truto's 400.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { DEFAULT_MAX_BODY_BYTES } from "./http-io";
import type { RateLimit } from "./rate-limiter";
import { SandboxRuntime } from "./runtime";
import { defaultSeed } from "./seed";
import { createSandboxServer } from "./server";
import { defaultSettings, LIMIT_SETTINGS, rateLimitProblems } from "./settings";
import { loadOrCreateStateFile } from "./state-file";
import { checkState } from "./state-schema";
import { SandboxStore } from "./store";
import type { SandboxSettings, SandboxState } from "./types";

export { defaultSeed, SEED_IDS } from "./seed";
export { ACCOUNT_STATUSES } from "./types";
export type {
  AccountStatus,
  HeldRole,
  MetaOverride,
  SandboxAccount,
  SandboxOrganization,
  SandboxRole,
  SandboxState,
  SandboxUser,
  SandboxWorkspace,
} from "./types";
export type { RateLimit } from "./rate-limiter";
export type { SandboxSettings } from "./types";
export type { FaultSpec, Fault } from "./fault-spec";
export { readWholeRequestLog, type LoggedRequest, type RequestLogPage } from "./request-log";
export { sandboxAdmin, type SandboxAdmin, type SandboxEndpoint } from "./admin-client";

/** How to start a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; default 0 picks a free one. */
  port?: number;
  /** Where state persists; absent keeps it in memory. Created from the seed if missing. */
  stateFile?: string;
  /** The bearer token clients must send; default "sbx_" + 32 random hex characters. */
  token?: string;
  /** The state to start from (and reset to); default `defaultSeed()`. */
  seed?: SandboxState;
  /** Per-integrated-account limit on /unified routes; default 50 per 10 s like Truto; false turns it off. */
  rateLimit?: RateLimit | false;
  /** Per-API-token limit on every API request (not /_sandbox); default 500 per 10 s like Truto; false turns it off. */
  tokenRateLimit?: RateLimit | false;
  /**
   * The vendor's quota behind Truto, per integrated account on /unified routes: answers carry `ratelimit-*` headers
   * for it, and past it the vendor's 429 comes through Truto. Default false: no quota, no headers.
   */
  vendorQuota?: RateLimit | false;
  /** Delay before every /unified and /integrated-account response, to model a real API; default 0. */
  latencyMs?: number;
  /** Vendor-style errors: 409 for assigning a held role, 404 for revoking one not held; default false. */
  strictIdempotency?: boolean;
  /** How many requests the log keeps before dropping the oldest; default 200,000. */
  requestLogLimit?: number;
  /** About how many bytes of requests the log keeps before dropping the oldest; default 32 MiB. */
  requestLogMaxBytes?: number;
  /** About how many bytes one page of GET /_sandbox/requests carries (at least one entry); default 4 MiB. */
  requestLogPageBytes?: number;
  /** Larger request bodies get a 413 without being read further; default 4 MiB. */
  maxBodyBytes?: number;
}

/** A running sandbox: where it listens, the token it wants, and how to stop it. */
export interface SandboxHandle {
  /** Base URL, e.g. http://127.0.0.1:43125 (no trailing slash). */
  url: string;
  token: string;
  /** Stops listening, ends keep-alive connections and waits for pending state-file writes. */
  close(): Promise<void>;
}

function checkOptions(opts: SandboxOptions): void {
  const problems: string[] = [];
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`port must be an integer from 0 to 65535; got ${opts.port}`);
  if (opts.token !== undefined && !/^\S+$/.test(opts.token)) problems.push("token must be a non-empty string without spaces");
  for (const name of LIMIT_SETTINGS) {
    const limit = opts[name];
    if (limit !== undefined) problems.push(...rateLimitProblems(name, limit));
  }
  const latency = opts.latencyMs ?? 0;
  if (!Number.isInteger(latency) || latency < 0) problems.push(`latencyMs must be a whole number of at least 0; got ${opts.latencyMs}`);
  const logLimit = opts.requestLogLimit ?? 0;
  if (!Number.isInteger(logLimit) || logLimit < 0) problems.push(`requestLogLimit must be a whole number of at least 0`);
  for (const key of ["requestLogMaxBytes", "requestLogPageBytes", "maxBodyBytes"] as const) {
    const value = opts[key] ?? 1;
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${key} must be a whole number of at least 1`);
  }
  if (problems.length > 0) throw new Error(`Invalid sandbox options: ${problems.join("; ")}.`);
}

function checkedSeed(seed: SandboxState | undefined): SandboxState {
  if (seed === undefined) return defaultSeed();
  const check = checkState(structuredClone(seed));
  if (!check.ok) throw new Error(`The sandbox seed option is not valid state:\n${check.message}`);
  return check.state;
}

/** Starts a sandbox on 127.0.0.1 and resolves once it is listening. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  checkOptions(opts);
  const seed = checkedSeed(opts.seed);
  const stateFile = opts.stateFile === undefined ? undefined : path.resolve(opts.stateFile);
  const initial = stateFile === undefined ? structuredClone(seed) : await loadOrCreateStateFile(stateFile, structuredClone(seed));
  const store = new SandboxStore(initial, stateFile);
  const token = opts.token ?? `sbx_${randomBytes(16).toString("hex")}`;
  const defaults = defaultSettings();
  const settings: SandboxSettings = {
    rateLimit: opts.rateLimit ?? defaults.rateLimit,
    tokenRateLimit: opts.tokenRateLimit ?? defaults.tokenRateLimit,
    vendorQuota: opts.vendorQuota ?? defaults.vendorQuota,
    latencyMs: opts.latencyMs ?? defaults.latencyMs,
    strictIdempotency: opts.strictIdempotency ?? defaults.strictIdempotency,
  };
  const logBounds = {
    maxEntries: opts.requestLogLimit ?? 200_000,
    maxBytes: opts.requestLogMaxBytes ?? 32 * 1024 * 1024,
    pageBytes: opts.requestLogPageBytes ?? 4 * 1024 * 1024,
  };
  const rt = new SandboxRuntime(token, store, seed, settings, logBounds, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const server = createSandboxServer(rt);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      rt.sleeper.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.flush();
    })();
    return closing;
  };
  return { url: `http://127.0.0.1:${port}`, token, close };
}
