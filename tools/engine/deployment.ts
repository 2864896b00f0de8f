/**
 * The calls `pulumi up` and `pulumi destroy` make to a provider, in the engine's order
 * (pulumi-dynamic-notes §4.4), over a running provider host. State is an in-memory stack that the
 * steps update as they succeed, so a failure part-way leaves exactly what was really done.
 */
import { HostCallError, type Host } from "./host";
import type { RegisteredResource } from "./program";

type Props = Record<string, unknown>;

/** One resource as the engine keeps it in state. */
export interface StateEntry {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** The checked inputs (with `__provider`). */
  inputs: Props;
  /** The provider's outputs (with `__provider`, the code that runs on delete). */
  outputs: Props;
}

/** A stack's state: resources by URN, in the order they were created. */
export type StackState = Map<string, StateEntry>;

/** What a step did. */
export type StepOp = "create" | "update" | "replace" | "delete" | "same";

/** One step, reported as it completes. */
export interface StepEvent {
  op: StepOp;
  name: string;
  /** update: the inputs that changed; replace: the inputs Diff said force it. */
  changed: string[];
  /** replace: whether the old one went first (Diff's deleteBeforeReplace). */
  deleteBeforeReplace?: boolean;
}

/** Called after each step. */
export type OnStep = (event: StepEvent) => void;

/** What the engine would do with one resource, decided by Check and Diff (and the inputs Check returned). */
export type Plan =
  | { op: "create"; resource: RegisteredResource; inputs: Props }
  | { op: "same"; resource: RegisteredResource; old: StateEntry; inputs: Props; changed: string[] }
  | { op: "update"; resource: RegisteredResource; old: StateEntry; inputs: Props; changed: string[] }
  | { op: "replace"; resource: RegisteredResource; old: StateEntry; changed: string[]; deleteBeforeReplace: boolean };

/** Check, then (for a resource already in state) Diff: the calls `pulumi preview` makes for it. */
export async function planResource(host: Host, state: StackState, resource: RegisteredResource): Promise<Plan> {
  const old = state.get(resource.urn);
  if (!old) return { op: "create", resource, inputs: await check(host, resource, {}) };
  const inputs = await check(host, resource, old.inputs);
  const diff = await named(resource.name, "diff", () => host.diff(old.id, old.urn, old.outputs, inputs, old.inputs));
  const changed = changedInputs(old.inputs, inputs);
  // DIFF_UNKNOWN: the engine compares the inputs itself (the provider's own code included).
  const same = diff.changes === "none" || (diff.changes === "unknown" && changed.length === 0 && old.inputs.__provider === inputs.__provider);
  if (same) return { op: "same", resource, old, inputs, changed: [] };
  if (diff.replaces.length === 0) return { op: "update", resource, old, inputs, changed };
  return { op: "replace", resource, old, changed: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace };
}

/** `pulumi preview`: what `up` would do, from Check and Diff alone; nothing is created, changed or deleted. */
export async function preview(host: Host, state: StackState, program: readonly RegisteredResource[]): Promise<StepEvent[]> {
  const events: StepEvent[] = [];
  for (const resource of program) events.push(eventOf(await planResource(host, state, resource)));
  const wanted = new Set(program.map((r) => r.urn));
  for (const old of [...state.values()].reverse()) if (!wanted.has(old.urn)) events.push({ op: "delete", name: old.name, changed: [] });
  return events;
}

/** `pulumi up`: creates, updates, replaces and deletes until the state matches the program's resources. */
export async function up(host: Host, state: StackState, program: readonly RegisteredResource[], onStep: OnStep = () => {}): Promise<void> {
  const replaced: StateEntry[] = [];
  for (const resource of program) {
    const plan = await planResource(host, state, resource);
    await named(resource.name, plan.op, async () => {
      if (plan.op === "create") {
        await create(host, state, resource, plan.inputs);
      } else if (plan.op === "same") {
        // A same step stores the new inputs and keeps the old outputs.
        state.set(plan.old.urn, { ...plan.old, inputs: plan.inputs });
      } else if (plan.op === "update") {
        await update(host, state, plan.old, plan.inputs);
      } else {
        // A replacement is checked again without olds, as the engine does.
        const fresh = await check(host, resource, {});
        if (plan.deleteBeforeReplace) await remove(host, state, plan.old);
        else replaced.push(plan.old);
        await create(host, state, resource, fresh);
      }
    });
    onStep(eventOf(plan));
  }
  // Create-before-delete replacements and resources gone from the program are deleted last.
  for (const old of replaced) await named(old.name, "delete (replaced)", () => host.delete(old.id, old.urn, old.outputs, old.inputs));
  const wanted = new Set(program.map((r) => r.urn));
  for (const old of [...state.values()].reverse()) {
    if (wanted.has(old.urn)) continue;
    await named(old.name, "delete", () => remove(host, state, old));
    onStep({ op: "delete", name: old.name, changed: [] });
  }
}

function eventOf(plan: Plan): StepEvent {
  if (plan.op === "create") return { op: "create", name: plan.resource.name, changed: [] };
  if (plan.op === "replace") return { op: "replace", name: plan.resource.name, changed: plan.changed, deleteBeforeReplace: plan.deleteBeforeReplace };
  return { op: plan.op, name: plan.resource.name, changed: plan.changed };
}

/** `pulumi destroy`: deletes every resource, newest first, with the outputs (and code) stored in state. */
export async function destroy(host: Host, state: StackState, onStep: OnStep = () => {}): Promise<void> {
  for (const old of [...state.values()].reverse()) {
    await named(old.name, "delete", () => remove(host, state, old));
    onStep({ op: "delete", name: old.name, changed: [] });
  }
}

/** Runs one step; a failure says which resource and step, and keeps the provider's error as its cause. */
async function named<T>(name: string, op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${op} of ${name} failed: ${message}`, { cause: error });
  }
}

/** Check; a validation failure stops the deployment with every reason, as the CLI shows them. */
async function check(host: Host, resource: RegisteredResource, olds: Props): Promise<Props> {
  const result = await host.check(resource.urn, olds, resource.inputs);
  if (result.failures.length > 0) {
    const reasons = result.failures.map((f) => `  ${f.property || "(resource)"}: ${f.reason}`).join("\n");
    throw new Error(`Check of ${resource.name} (${resource.type}) failed; fix the program's inputs:\n${reasons}`);
  }
  return result.inputs;
}

async function create(host: Host, state: StackState, resource: RegisteredResource, inputs: Props): Promise<void> {
  try {
    const { id, outputs } = await host.create(resource.urn, inputs);
    state.set(resource.urn, { urn: resource.urn, type: resource.type, name: resource.name, id, inputs, outputs });
  } catch (error) {
    // A partial failure still created something: the engine records it so a later destroy removes it.
    const failure = error instanceof HostCallError ? error.initFailure : undefined;
    if (failure?.id) state.set(resource.urn, { urn: resource.urn, type: resource.type, name: resource.name, id: failure.id, inputs, outputs: failure.properties });
    throw error;
  }
}

async function update(host: Host, state: StackState, old: StateEntry, inputs: Props): Promise<void> {
  try {
    const { outputs } = await host.update(old.id, old.urn, old.outputs, inputs, old.inputs);
    state.set(old.urn, { ...old, inputs, outputs });
  } catch (error) {
    const failure = error instanceof HostCallError ? error.initFailure : undefined;
    if (failure) state.set(old.urn, { ...old, inputs, outputs: failure.properties });
    throw error;
  }
}

async function remove(host: Host, state: StackState, old: StateEntry): Promise<void> {
  await host.delete(old.id, old.urn, old.outputs, old.inputs);
  state.delete(old.urn);
}

/** The input names whose values differ (the provider's code, `__provider`, is not an input people change). */
function changedInputs(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}
