import { trutoError } from "../errors";
import type { RouteResult } from "../http-io";
import { admitUnified } from "../limits";
import { describeMethod, isMetaMethod, META_METHODS, type MetaMethod } from "../meta";
import type { SandboxRuntime } from "../runtime";
import type { SandboxCall } from "../sandbox-call";
import { TRUTO_RULES, rulesFor } from "../truto-rules";
import { refuseForAccount, resolveAccount } from "./account-checks";

/** A meta request: the integration named in the path (the docs' form), or none (the account-scoped form); the method. */
export interface MetaMatch {
  integration?: string;
  method: string;
}

/**
 * GET /unified/user-directory/users/meta/{method}?integrated_account_id=… (what the TypeScript SDK's
 * `unifiedApi.meta` calls) or GET /unified/user-directory/users/{integration}/meta/{method} (the docs' form).
 */
export function matchMeta(call: SandboxCall): MetaMatch | undefined {
  const [, model, resource, ...rest] = call.segments;
  if (call.method !== "GET" || model !== "user-directory" || resource !== "users") return undefined;
  if (rest.length === 2 && rest[0] === "meta") return { method: rest[1] };
  if (rest.length === 3 && rest[1] === "meta") return { integration: rest[0], method: rest[2] };
  return undefined;
}

/** An integration the sandbox knows: a row of its table, or the integration of one of its accounts. */
export function isKnownIntegration(rt: SandboxRuntime, slug: string): boolean {
  return Object.hasOwn(TRUTO_RULES, slug) || rt.store.hasIntegration(slug);
}

/** Where the admin API's meta override for an integration's method is kept. */
export function metaKey(integration: string, method: MetaMethod): string {
  return `${integration} ${method}`;
}

/** The method named, or Truto's 404 naming the methods the sandbox describes. */
export function metaMethod(name: string): MetaMethod {
  if (isMetaMethod(name)) return name;
  throw trutoError(404, `No meta for method "${name}". The sandbox describes ${META_METHODS.join(" and ")}.`);
}

/** The integration named, or Truto's 404 naming the integration. */
export function knownIntegration(rt: SandboxRuntime, slug: string): string {
  if (isKnownIntegration(rt, slug)) return slug;
  throw trutoError(404, `Integration "${slug}" was not found. The sandbox models ${Object.keys(TRUTO_RULES).join(", ")}.`);
}

/**
 * Answers a meta request from the sandbox's own rules, or from an override set through the admin API. The
 * account-scoped form resolves its account like any unified call and counts against its window; neither form
 * reaches the vendor, so neither uses the vendor's quota.
 */
export function handleMeta(match: MetaMatch, call: SandboxCall, rt: SandboxRuntime): RouteResult {
  const method = metaMethod(match.method);
  let integration: string;
  if (match.integration === undefined) {
    const account = resolveAccount(call, rt);
    refuseForAccount(call, account);
    admitUnified(rt, account, false);
    integration = account.account.integration;
  } else {
    integration = knownIntegration(rt, match.integration);
  }
  const override = rt.metaOverrides.get(metaKey(integration, method));
  if (override !== undefined && override.absent === true) {
    throw trutoError(404, `No meta for ${method} of integration ${integration}.`);
  }
  return { status: 200, body: override ?? describeMethod(rulesFor(integration), method) };
}
