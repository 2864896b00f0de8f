import { z } from "zod";
import type { RateLimit } from "./rate-limiter";

export type { SandboxSettings } from "./types";

/** Truto's own limit: 50 requests per 10 seconds per integrated account. */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 50, windowMs: 10_000 };

const rateLimitSchema = z.union([z.literal(false), z.strictObject({ limit: z.number().int().min(1), windowMs: z.number().int().min(1) })]);

/** The body of PATCH /_sandbox/config; every field optional, unknown fields rejected. */
export const settingsPatchSchema = z.strictObject({
  rateLimit: rateLimitSchema.optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  strictIdempotency: z.boolean().optional(),
});

/** A validated settings change. */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
