/**
 * The engine's side of `pulumi up` and `pulumi destroy` for many RoleAssignments: Check then Create for
 * each new resource, Delete with the stored outputs for each destroyed one, at most `concurrency` at once.
 */
import { urn, type Host } from "../test/support/host";
import type { Declared } from "./population";
import { runPool } from "./pool";

/** A resource as state holds it after Create: what Delete, Read and Update are sent. */
export interface Stored {
  name: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** How long each RPC took as the engine's side saw it, ms, by kind. */
export interface RpcTimings {
  check: number[];
  create: number[];
  delete: number[];
}

/** An empty set of timings to fill. */
export function newTimings(): RpcTimings {
  return { check: [], create: [], delete: [] };
}

async function timed<T>(into: number[] | undefined, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  into?.push(performance.now() - started);
  return result;
}

/** Check, then Create, as the engine does for a new resource; throws naming the resource on a check failure. */
export async function checkAndCreate(host: Host, providerText: string, declared: Declared, timings?: RpcTimings): Promise<Stored> {
  const checked = await timed(timings?.check, () => host.check(urn(declared.name), {}, { ...declared.inputs, __provider: providerText }));
  if (checked.failures.length > 0) {
    throw new Error(`bench: Check refused ${declared.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
  const { id, outputs } = await timed(timings?.create, () => host.create(urn(declared.name), checked.inputs));
  return { name: declared.name, id, inputs: checked.inputs, outputs };
}

/** Check → Diff → Update to `news`, as `pulumi up` does for a changed resource. */
export async function checkAndUpdate(host: Host, providerText: string, stored: Stored, news: Record<string, unknown>): Promise<Stored> {
  const checked = await host.check(urn(stored.name), stored.inputs, { ...news, __provider: providerText });
  if (checked.failures.length > 0) throw new Error(`bench: Check refused the update of ${stored.name}: ${JSON.stringify(checked.failures)}`);
  const diff = await host.diff(stored.id, urn(stored.name), stored.outputs, checked.inputs, stored.inputs);
  if (diff.changes !== "some" || diff.replaces.length > 0) {
    throw new Error(`bench: expected an in-place update of ${stored.name}, but Diff said ${JSON.stringify(diff)}.`);
  }
  const { outputs } = await host.update(stored.id, urn(stored.name), stored.outputs, checked.inputs, stored.inputs);
  return { ...stored, inputs: checked.inputs, outputs };
}

/** Delete with the stored outputs and inputs, as `pulumi destroy` does. */
export function deleteStored(host: Host, stored: Stored, timings?: RpcTimings): Promise<void> {
  return timed(timings?.delete, () => host.delete(stored.id, urn(stored.name), stored.outputs, stored.inputs));
}

/** Creates every declared resource, `concurrency` at a time; the stored results are in declaration order. */
export async function createAll(host: Host, providerText: string, declared: readonly Declared[], concurrency: number, timings?: RpcTimings): Promise<Stored[]> {
  const stored: Stored[] = new Array(declared.length);
  await runPool(declared, concurrency, async (d, i) => {
    stored[i] = await checkAndCreate(host, providerText, d, timings);
  });
  return stored;
}

/** Deletes every stored resource, `concurrency` at a time. */
export async function deleteAll(host: Host, stored: readonly Stored[], concurrency: number, timings?: RpcTimings): Promise<void> {
  await runPool(stored, concurrency, (s) => deleteStored(host, s, timings));
}
