import { createHash } from "node:crypto";
import { trutoError } from "../errors";
import type { RouteResult } from "../http-io";
import type { SandboxRuntime } from "../runtime";
import type { SandboxCall } from "../sandbox-call";

// Fixed, so the same account looks the same on every run.
const CREATED_AT = "2025-01-01T00:00:00.000Z";

/** A UUID-shaped id derived from a name, stable across runs. */
function stableUuid(name: string): string {
  const hex = createHash("sha256").update(`pulumi-truto-access sandbox:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** GET /integrated-account/{id}: the account as Truto's admin API shows it, `integration.name` = slug. */
export function handleIntegratedAccount(call: SandboxCall, rt: SandboxRuntime): RouteResult {
  const [, id, ...rest] = call.segments;
  if (call.method !== "GET" || id === undefined || rest.length > 0) {
    throw trutoError(404, `No route for ${call.method} ${call.pathname}. The sandbox serves GET /integrated-account/{id}.`);
  }
  const entry = rt.store.account(id);
  if (!entry) throw trutoError(404, `Integrated account ${id} was not found.`);
  const slug = entry.account.integration;
  return {
    status: 200,
    body: {
      id,
      tenant_id: "sandbox-tenant",
      status: entry.account.status ?? "active",
      is_sandbox: entry.account.isSandbox ?? false,
      environment_integration_id: stableUuid(`environment-integration:${slug}`),
      integration: { id: stableUuid(`integration:${slug}`), name: slug, category: "user-directory" },
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
    },
  };
}
