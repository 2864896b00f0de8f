/**
 * The provider's implementation, loaded by package name inside the provider host
 * (`require("pulumi-truto-access/provider")` in the serialized shim). Each method is short and delegates.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigSource, ProviderSettings } from "./config";
import { checkInputs } from "./inputs";
import { diffInputs } from "./diff";
import { claimUnchanged } from "./claims";
import type { LifecycleContext } from "./lifecycle";

// check and diff never talk to Truto: the HTTP client and the lifecycle load on the first call that
// does, so a preview (and the host's start) does not pay for undici.
const config = (): typeof import("./config") => require("./config");
const lifecycle = (): typeof import("./lifecycle") => require("./lifecycle");

type Props = Record<string, unknown>;
type Settled = { ok: true; settings: ProviderSettings } | { ok: false; error: unknown };

// Settings are resolved synchronously inside configure: the host caches the provider and calls
// configure without waiting, so calls that arrive meanwhile must already see them (no race).
let settled: Settled | undefined;

function resolveNow(source?: ConfigSource): Settled {
  try {
    return { ok: true, settings: config().resolveSettings(process.env, source) };
  } catch (error) {
    return { ok: false, error };
  }
}

let current: { from: Settled; context: LifecycleContext } | undefined;

function context(): LifecycleContext {
  // A host that never calls configure (older engines) still gets the environment's settings.
  settled ??= resolveNow();
  if (!settled.ok) throw settled.error;
  // One client per configuration, not per call.
  if (current?.from !== settled) {
    current = {
      from: settled,
      context: {
        client: config().clientFor(settled.settings),
        settleMs: settled.settings.settleMs,
        protectedRoles: settled.settings.protectedRoles,
      },
    };
  }
  return current.context;
}

/** Receives the stack config; never throws (a failed configure would stick), errors surface on first use. */
export function configure(req: { config: ConfigSource }): Promise<void> {
  settled = resolveNow(req.config);
  return Promise.resolve();
}

/** Validates and normalises inputs; `olds` tell which roles are being added (an added role may not have expired). */
export async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkInputs(news, olds ?? {});
  return failures.length ? { inputs, failures } : { inputs };
}

/** Which changes update in place, which replace, and whether to delete first. */
export async function diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const result = diffInputs(olds, news);
  // Unchanged, the resource stays in state as it is: it holds its roles in this deployment (claims.ts).
  if (!result.changes) claimUnchanged(id, olds, news);
  return result;
}

/** Grants the roles and confirms them. */
export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  return lifecycle().create(context(), inputs);
}

/** Detects drift. */
export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  return lifecycle().read(context(), id, props);
}

/** Converges the role set. */
export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return { outs: await lifecycle().update(context(), id, olds, news) };
}

/** Revokes and confirms the revocation. */
export async function remove(id: string, props: Props): Promise<void> {
  await lifecycle().remove(context(), id, props);
}

export { remove as delete };
