/**
 * Where the provider finds its token and settings: environment variables first, then stack config
 * (`truto:*`). The token is read at run time only, so it never reaches `__provider`, inputs or outputs.
 */
import type { TrutoClient } from "../truto/client";
import { checkBaseUrl, DEFAULT_BASE_URL } from "../truto/base-url";
import { TrutoError, TrutoErrorCodes } from "../truto/errors";
import type { RateLimitSettings } from "../truto/governor";
import type { ReadStrategy } from "../truto/client";

/** The subset of Pulumi's dynamic-provider config object the provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Resolved provider settings. `token` is absent when neither the env nor the config has one. */
export interface ProviderSettings {
  token?: string;
  baseUrl: string;
  timeoutMs?: number;
  rateLimit?: RateLimitSettings;
  /** Pacing per API token, across every account; default 500 requests per 10 s (TrutoClientOptions.tokenRateLimit). */
  tokenRateLimit?: RateLimitSettings;
  /** How long a read-back may poll for a write to show (eventual consistency); default 5 s. */
  settleMs: number;
  /** Words that protect a role from losing its last holder, beyond the defaults (see last-holder.ts). */
  protectedRoles: string[];
  /** How long a finished read may serve others (TrutoClientOptions.readCacheMs); default 2 s. */
  readCacheMs?: number;
  /** How reads are served (TrutoClientOptions.readStrategy); default `coalesced`. */
  readStrategy?: ReadStrategy;
}

/** Default settle window for read-backs after a write. */
export const DEFAULT_SETTLE_MS = 5_000;

const HOW_TO_SET_TOKEN =
  "Set the TRUTO_API_TOKEN environment variable (recommended: it stays out of Pulumi state), or run `pulumi config set --secret truto:apiToken <token>`.";

function parseRateLimit(text: string, where: string, example = "50/10"): RateLimitSettings {
  if (text.trim().toLowerCase() === "off") return false;
  const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
    throw new TrutoError(TrutoErrorCodes.config, `${where} must look like "${example}" (requests per seconds) or "off", not "${text}".`);
  }
  return { limit: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) };
}

/** A list setting: a JSON array of strings, or words separated by commas or newlines. */
function parseList(text: string | undefined, where: string): string[] {
  if (text === undefined || text.trim() === "") return [];
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) {
      throw new TrutoError(
        TrutoErrorCodes.config,
        `${where} must be a JSON array of strings or a comma-separated list, such as "owner,manager", not ${JSON.stringify(clipSetting(text))}.`,
      );
    }
    return parsed.map((x) => x.trim()).filter(Boolean);
  }
  return trimmed
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

// A setting echoed in an error is cut short: it is the user's own text, but need not fill the screen.
function clipSetting(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function parseMs(text: string | undefined, where: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new TrutoError(TrutoErrorCodes.config, `${where} must be a number of milliseconds, not "${text}".`);
  return n;
}

function parseStrategy(text: string | undefined, where: string): ReadStrategy | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().toLowerCase();
  if (t === "coalesced" || t === "per-resource") return t;
  throw new TrutoError(TrutoErrorCodes.config, `${where} must be "coalesced" or "per-resource", not ${JSON.stringify(clipSetting(text))}.`);
}

/** Reads settings from `env` and stack `config`; throws TRUTO_CONFIG naming the bad setting. */
export function resolveSettings(env: NodeJS.ProcessEnv, config?: ConfigSource): ProviderSettings {
  const pick = (envName: string, key: string): [string | undefined, string] => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return [fromEnv, envName];
    return [config?.get(`truto:${key}`) || undefined, `truto:${key}`];
  };
  const [token] = pick("TRUTO_API_TOKEN", "apiToken");
  const [baseUrl = DEFAULT_BASE_URL, baseWhere] = pick("TRUTO_BASE_URL", "baseUrl");
  const problem = checkBaseUrl(baseUrl);
  if (problem) throw new TrutoError(TrutoErrorCodes.config, `${baseWhere}: ${problem}.`);
  const [rate, rateWhere] = pick("TRUTO_RATE_LIMIT", "rateLimit");
  const [tokenRate, tokenRateWhere] = pick("TRUTO_TOKEN_RATE_LIMIT", "tokenRateLimit");
  const [timeout, timeoutWhere] = pick("TRUTO_TIMEOUT_MS", "timeoutMs");
  const [settle, settleWhere] = pick("TRUTO_SETTLE_MS", "settleMs");
  const [protectedRoles, protectedWhere] = pick("TRUTO_PROTECTED_ROLES", "protectedRoles");
  const [readCache, readCacheWhere] = pick("TRUTO_READ_CACHE_MS", "readCacheMs");
  const [strategy, strategyWhere] = pick("TRUTO_READ_STRATEGY", "readStrategy");
  return {
    token: token?.trim() || undefined,
    baseUrl,
    rateLimit: rate === undefined ? undefined : parseRateLimit(rate, rateWhere),
    tokenRateLimit: tokenRate === undefined ? undefined : parseRateLimit(tokenRate, tokenRateWhere, "500/10"),
    timeoutMs: parseMs(timeout, timeoutWhere),
    settleMs: parseMs(settle, settleWhere) ?? DEFAULT_SETTLE_MS,
    protectedRoles: parseList(protectedRoles, protectedWhere),
    readCacheMs: parseMs(readCache, readCacheWhere),
    readStrategy: parseStrategy(strategy, strategyWhere),
  };
}

/** A client for the settings; fails with how to set the token when there is none. */
export function clientFor(settings: ProviderSettings): TrutoClient {
  if (!settings.token) throw new TrutoError(TrutoErrorCodes.config, `no Truto API token is configured. ${HOW_TO_SET_TOKEN}`);
  // Loaded here, not at the top: configure and check must not pay for the HTTP stack.
  const { TrutoClient: Client } = require("../truto/client") as typeof import("../truto/client");
  return new Client({
    token: settings.token,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    rateLimit: settings.rateLimit,
    tokenRateLimit: settings.tokenRateLimit,
    userAgent: "pulumi-truto-access",
    readCacheMs: settings.readCacheMs,
    readStrategy: settings.readStrategy,
  });
}
