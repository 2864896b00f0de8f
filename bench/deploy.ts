/**
 * The bench's runs of `pulumi up` and `pulumi destroy` for many RoleAssignments, through the one engine model
 * (tools/engine): Check then Create for each new resource, Delete with the stored outputs for each destroyed
 * one, at most `concurrency` at once, with each RPC timed as the engine's side sees it.
 */
import { destroy, Engine, newStackState, up, type StackState } from "../tools/engine/deployment";
import type { Host } from "../tools/engine/host";
import type { Declared } from "./population";

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

/** The engine model over `host`, sending `providerText` as every resource's `__provider`; answered calls land in `timings`. */
export function benchEngine(host: Host, providerText: string, timings?: RpcTimings): Engine {
  return new Engine(host, {
    provider: () => providerText,
    onCall: (call) => {
      if (!call.error && timings && call.rpc in timings) timings[call.rpc as keyof RpcTimings].push(call.ms);
    },
  });
}

/** `pulumi up` of every declared resource into a new stack, `concurrency` at a time; resolves to the stack's state. */
export async function createAll(engine: Engine, declared: readonly Declared[], concurrency: number): Promise<StackState> {
  const state = newStackState();
  await up(
    engine,
    state,
    declared.map((d) => engine.resource(d.name, d.inputs)),
    { parallel: concurrency },
  );
  return state;
}

/** `pulumi destroy` of the stack, `concurrency` at a time. */
export async function deleteAll(engine: Engine, state: StackState, concurrency: number): Promise<void> {
  await destroy(engine, state, { parallel: concurrency });
}
