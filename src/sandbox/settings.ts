import { z } from "zod";
import type { RateLimit } from "./rate-limiter";
import type { SandboxSettings } from "./types";

export type { SandboxSettings } from "./types";

/**
 * Truto's own limits (truto-api-notes §4.4, from Truto's error model,
 * https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md):
 * 50 requests per 10 seconds per integrated account, and 500 per 10 seconds per API token.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 50, windowMs: 10_000 };
export const DEFAULT_TOKEN_RATE_LIMIT: RateLimit = { limit: 500, windowMs: 10_000 };

/** The settings that are a rate limit (or `false`, off); each has a window of its own per key. */
export const LIMIT_SETTINGS = ["rateLimit", "tokenRateLimit", "vendorQuota"] as const;

/** One of {@link LIMIT_SETTINGS}. */
export type LimitSetting = (typeof LIMIT_SETTINGS)[number];

/**
 * What a sandbox starts with unless told otherwise. The vendor quota is off: Truto sends `ratelimit-*`
 * headers only when the vendor supplies rate-limit information (https://truto.one/docs/api-reference/overview/rate-limits).
 */
export function defaultSettings(): SandboxSettings {
  return {
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    tokenRateLimit: { ...DEFAULT_TOKEN_RATE_LIMIT },
    vendorQuota: false,
    latencyMs: 0,
    strictIdempotency: false,
  };
}

/** Why `value` is not a rate limit (`name` says whose); empty when it is one, or `false`. */
export function rateLimitProblems(name: string, value: RateLimit | false): string[] {
  if (value === false) return [];
  const problems: string[] = [];
  if (!Number.isInteger(value.limit) || value.limit < 1) problems.push(`${name}.limit must be a whole number of at least 1`);
  if (!Number.isInteger(value.windowMs) || value.windowMs < 1) problems.push(`${name}.windowMs must be a whole number of at least 1`);
  return problems;
}

const rateLimitSchema = z.union([z.literal(false), z.strictObject({ limit: z.number().int().min(1), windowMs: z.number().int().min(1) })]);

/** The body of PATCH /_sandbox/config; every field optional, unknown fields rejected. */
export const settingsPatchSchema = z.strictObject({
  rateLimit: rateLimitSchema.optional(),
  tokenRateLimit: rateLimitSchema.optional(),
  vendorQuota: rateLimitSchema.optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  strictIdempotency: z.boolean().optional(),
});

/** A validated settings change. */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
