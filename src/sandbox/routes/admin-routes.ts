import { z } from "zod";
import { trutoError } from "../errors";
import { faultSpecSchema } from "../faults";
import type { RouteResult } from "../http-io";
import { DEFAULT_PAGE_ENTRIES, MAX_PAGE_ENTRIES } from "../request-log";
import type { MetaMethod } from "../meta";
import type { SandboxRuntime } from "../runtime";
import type { MetaOverride } from "../types";
import type { SandboxCall } from "../sandbox-call";
import { settingsPatchSchema } from "../settings";
import { checkState } from "../state-schema";
import { knownIntegration, metaKey, metaMethod } from "./meta-route";

function jsonBody(call: SandboxCall): unknown {
  if (call.body.kind === "empty") throw trutoError(400, `${call.method} ${call.pathname} needs a JSON body.`);
  if (call.body.kind === "invalid") throw trutoError(400, `Request body is not valid JSON (${call.body.reason}).`);
  return call.body.value;
}

function validated<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw trutoError(400, `${what} is not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

// `?since=` and `?limit=` of GET /_sandbox/requests, as whole numbers in range, or a 400 saying so.
function wholeQuery(call: SandboxCall, name: string, fallback: number, min: number, max: number): number {
  const text = call.query[name];
  if (text === undefined) return fallback;
  const value = typeof text === "string" && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw trutoError(400, `The ${name} query parameter must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  }
  return value;
}

type AdminHandler = (call: SandboxCall, rt: SandboxRuntime) => RouteResult | Promise<RouteResult>;

// "METHOD /path" → handler. These shapes are a public contract (see index.ts); change them with care.
const ADMIN: Record<string, AdminHandler> = {
  "GET /_sandbox/state": (_call, rt) => ok(rt.store.snapshot()),
  "PUT /_sandbox/state": async (call, rt) => {
    const check = checkState(jsonBody(call));
    if (!check.ok) throw trutoError(400, `The state is not valid:\n${check.message}`);
    await rt.store.replace(check.state);
    return ok(rt.store.snapshot());
  },
  "GET /_sandbox/faults": (_call, rt) => ok(rt.faults.list()),
  "POST /_sandbox/faults": (call, rt) => ok(rt.faults.add(validated(faultSpecSchema, jsonBody(call), "The fault")), 201),
  "DELETE /_sandbox/faults": (_call, rt) => ok({ cleared: rt.faults.clear() }),
  "GET /_sandbox/requests": (call, rt) =>
    ok(
      rt.log.page(
        wholeQuery(call, "since", 0, 0, Number.MAX_SAFE_INTEGER),
        wholeQuery(call, "limit", DEFAULT_PAGE_ENTRIES, 1, MAX_PAGE_ENTRIES),
      ),
    ),
  "DELETE /_sandbox/requests": (_call, rt) => ok({ cleared: rt.log.clear() }),
  "POST /_sandbox/reset": async (_call, rt) => {
    await rt.reset();
    return ok(rt.store.snapshot());
  },
  "GET /_sandbox/config": (_call, rt) => ok(rt.settings),
  "PATCH /_sandbox/config": (call, rt) => ok(rt.configure(validated(settingsPatchSchema, jsonBody(call), "The config change"))),
};

// The body of PUT /_sandbox/meta/{integration}/{method}: the answer to serve, or exactly {absent: true} for a 404.
function metaOverride(call: SandboxCall): MetaOverride {
  const body = jsonBody(call);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw trutoError(400, 'The meta override must be a JSON object: the answer to serve, or {"absent": true} for a 404.');
  }
  if ("absent" in body && (Object.keys(body).length !== 1 || (body as { absent: unknown }).absent !== true)) {
    throw trutoError(400, 'A meta override with "absent" must be exactly {"absent": true}.');
  }
  return body as MetaOverride;
}

// PUT|DELETE /_sandbox/meta/{integration}/{method}: what GET meta answers for it, until deleted or reset.
const META: Record<string, AdminHandler> = {
  PUT: (call, rt) => {
    const { integration, method } = metaTarget(call, rt);
    const answer = metaOverride(call);
    rt.metaOverrides.set(metaKey(integration, method), answer);
    return ok({ integration, method, answer });
  },
  DELETE: (call, rt) => {
    const { integration, method } = metaTarget(call, rt);
    return ok({ integration, method, restored: rt.metaOverrides.delete(metaKey(integration, method)) });
  },
};

function metaTarget(call: SandboxCall, rt: SandboxRuntime): { integration: string; method: MetaMethod } {
  const [, , integration, method] = call.segments;
  return { integration: knownIntegration(rt, integration), method: metaMethod(method) };
}

function adminHandler(call: SandboxCall, pathname: string): AdminHandler | undefined {
  if (call.segments.length === 4 && call.segments[1] === "meta") return META[call.method];
  return ADMIN[`${call.method} ${pathname}`];
}

/** Handles the admin API under /_sandbox (state, faults, request log, reset, config, meta overrides). */
export function handleAdmin(call: SandboxCall, rt: SandboxRuntime): RouteResult | Promise<RouteResult> {
  const pathname = call.pathname.length > 1 && call.pathname.endsWith("/") ? call.pathname.slice(0, -1) : call.pathname;
  const handler = adminHandler(call, pathname);
  if (!handler) {
    const known = [...Object.keys(ADMIN), "PUT /_sandbox/meta/{integration}/{method}", "DELETE /_sandbox/meta/{integration}/{method}"];
    throw trutoError(404, `No admin route ${call.method} ${call.pathname}. Admin routes: ${known.join(", ")}.`);
  }
  return handler(call, rt);
}
