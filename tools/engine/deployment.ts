/**
 * The one model of the Pulumi engine's calls over the real provider host: the demo's no-CLI fallback, the
 * reliability suites' fast driver and the bench all run through it. The real engine is the truth. Each rule
 * below has a test in test/demo/deployment.test.ts, which names the test/e2e scenario that shows Pulumi CLI
 * v3.276.0 doing the same (sources: pkg/resource/deploy step_generator.go, step.go, step_executor.go, and
 * pkg/engine/update.go):
 *
 * - A Create that fails with a partial failure (ErrorResourceInitFailed: id and properties) is recorded with
 *   its inputs, the failure's properties and `initErrors`; an Update that fails so is recorded with the OLD
 *   inputs, the failure's properties and `initErrors` (OnResourceStepPost). A plain failure records nothing
 *   (Create) or keeps the old state (Update). A resource with `initErrors` gets an Update on the next `up`
 *   even when Diff finds no change (`len(old.InitErrors) > 0`); a successful Update clears them.
 * - Replacement is create-before-delete: the replacement is created (Checked again without olds), the old
 *   one is marked for deletion and deleted at the end, after every create and update. When Diff says
 *   deleteBeforeReplace, the old one is deleted first. A replaced resource whose delete failed stays in
 *   state as a pending delete (`delete: true`), and the next `up` deletes it with its deletes at the end
 *   (GenerateDeletes); preview shows that step only with --show-replacement-steps.
 * - Resources gone from the program are deleted at the end too; `destroy` is `up` of an empty program. A
 *   Delete that fails keeps the resource in state, and the deployment fails. (The real engine runs deletes
 *   that do not depend on each other in parallel, in no set order; the model starts them newest first.)
 * - Once a step fails, no new step starts (those running finish), the deletes at the end do not run, and the
 *   deployment fails. A failed Check fails the deployment the same way, with no step of its own.
 * - Refresh: a Read answering an empty id drops the resource; otherwise its id, outputs and (when returned)
 *   inputs replace the stored ones, and `initErrors` are cleared.
 * - Up to `parallel` steps run at once (the CLI's `--parallel`; with 1, one at a time, as the failed-step scenario
 *   runs it). The model starts them in program order; the real engine starts them as registrations arrive.
 */
import { cpus } from "node:os";
import { HostCallError, urn, type Host } from "./host";
import { runPool } from "./pool";

type Props = Record<string, unknown>;

/** One resource as the engine keeps it in state (the fields of a checkpoint's resource that matter here). */
export interface StateEntry {
  urn: string;
  id: string;
  /** The checked inputs, `__provider` included. */
  inputs: Props;
  /** The provider's outputs, `__provider` included: the code that runs on delete. */
  outputs: Props;
  /** A partial failure's reasons; while there are any, the next `up` runs Update. */
  initErrors?: string[];
}

/** A stack's state. */
export interface StackState {
  /** Live resources by URN, in the order they were first created. */
  resources: Map<string, StateEntry>;
  /** Replaced resources not deleted yet (`delete: true` in a checkpoint); the next `up` deletes them with its deletes at the end. */
  pendingDeletes: StateEntry[];
}

/** A stack's state holding `entries`, in that order. */
export function newStackState(entries: readonly StateEntry[] = []): StackState {
  return { resources: new Map(entries.map((e) => [e.urn, e])), pendingDeletes: [] };
}

/** A resource as the program registers it: its URN and inputs (with `__provider`). */
export interface Registration {
  urn: string;
  inputs: Props;
}

/** The engine's step kinds, named as in `pulumi preview --json`. */
export type StepOp = "create" | "update" | "same" | "replace" | "delete" | "delete-replaced" | "read";

/** What a deployment plans for one resource. */
export interface PlannedStep {
  op: StepOp;
  urn: string;
  /** The resource's name (the URN's last part). */
  name: string;
  /** update: the inputs that changed; replace: the inputs Diff said force it. */
  changed: string[];
  /** replace: whether the old one is deleted first (Diff's deleteBeforeReplace). */
  deleteBeforeReplace?: boolean;
}

/** How a step ended: as asked, with a partial failure (recorded, and the deployment fails), or with an error. */
export type StepKind = "ok" | "partial" | "error";

/** One step as it ended, and what state holds for its resource afterwards. */
export interface Step extends PlannedStep {
  kind: StepKind;
  /** The resource as state holds it after the step; undefined when state holds nothing for it. */
  state?: StateEntry;
  /** The provider's failure, for "partial" and "error". */
  error?: HostCallError;
}

/** The provider calls the engine makes. */
export type Rpc = "check" | "diff" | "create" | "update" | "read" | "delete";

/** One provider call as it went, for a hook that watches or times them. */
export interface CallRecord {
  rpc: Rpc;
  urn: string;
  /** What was sent (the request's data fields). */
  request: Props;
  response?: unknown;
  error?: HostCallError;
  ms: number;
}

/** How to drive the host. */
export interface EngineOptions {
  /** The stack and project that URNs are built in; default "dev" and "truto-access-test" (the host's default project). */
  stack?: string;
  project?: string;
  /** The serialized provider a program's SDK adds to the inputs of each dynamic resource, for {@link Engine.resource}. */
  provider?: () => string;
  /** Sees every provider call: the leak watch scans them, the bench times them. */
  onCall?: (call: CallRecord) => void;
  /** How many steps run at once (`pulumi up --parallel`); default 4 × the CPUs. */
  parallel?: number;
}

/** Per-deployment options. */
export interface DeployOptions {
  /** Overrides the engine's `parallel`. */
  parallel?: number;
  /** Called as each step ends. */
  onStep?: (step: Step) => void;
}

/** A deployment that failed: the first failed step, and every step that ran. */
export class DeploymentError extends Error {
  constructor(
    readonly step: Step,
    readonly steps: Step[],
  ) {
    const verb = step.op === "delete-replaced" ? "delete (replaced)" : step.op;
    super(`${verb} of ${step.name} failed: ${step.error?.message}`, { cause: step.error });
    this.name = "DeploymentError";
  }
}

/** The engine's side of a provider host: it sends the calls and applies the rules above. */
export class Engine {
  private readonly hostRef: () => Host;

  constructor(
    host: Host | (() => Host),
    readonly options: EngineOptions = {},
  ) {
    this.hostRef = typeof host === "function" ? host : () => host;
  }

  /** The host the next call goes to. */
  get host(): Host {
    return this.hostRef();
  }

  /** The URN the engine gives a resource named `name` in this stack. */
  urn(name: string, type = "pulumi-nodejs:dynamic/truto:RoleAssignment"): string {
    return urn(name, type, this.options.stack, this.options.project);
  }

  /** The inputs a program sends: `inputs` with the serialized provider, when the engine was given one. */
  program(inputs: Props): Props {
    return this.options.provider ? { ...inputs, __provider: this.options.provider() } : inputs;
  }

  /** The registration of a RoleAssignment named `name` with the program's `inputs`. */
  resource(name: string, inputs: Props): Registration {
    return { urn: this.urn(name), inputs: this.program(inputs) };
  }

  // The one-resource deployments below are how the reliability suites drive a resource step by step: the same
  // rules as a whole stack's, with the steps' outcomes (and what state holds after them) as the answer.

  /** `pulumi up` of a one-resource stack that holds `old` (or nothing): Create, or Check, Diff and what it says. */
  up(name: string, inputs: Props, old?: StateEntry): Promise<Step> {
    const registration = { urn: old?.urn ?? this.urn(name), inputs: this.program(inputs) };
    return this.single(() => up(this, newStackState(old ? [old] : []), [registration]));
  }

  /** `pulumi up` of a one-resource stack that holds nothing. */
  create(name: string, inputs: Props): Promise<Step> {
    return this.up(name, inputs);
  }

  /** `pulumi up` of a one-resource stack that holds `old`. */
  update(name: string, old: StateEntry, inputs: Props): Promise<Step> {
    return this.up(name, inputs, old);
  }

  /** `pulumi refresh` of a one-resource stack (the URN is the stored one; `name` only labels the call). */
  refresh(_name: string, old: StateEntry): Promise<Step> {
    return this.single(() => refresh(this, newStackState([old])));
  }

  /** `pulumi destroy` of a one-resource stack (the URN is the stored one; `name` only labels the call). */
  destroy(_name: string, old: StateEntry): Promise<Step> {
    return this.single(() => destroy(this, newStackState([old])));
  }

  // The resource's own step of a one-resource deployment (not the deletion of what it replaced), or the failed one.
  private async single(deploy: () => Promise<Step[]>): Promise<Step> {
    try {
      const steps = await deploy();
      return steps.find((s) => s.op !== "delete-replaced") ?? steps[0];
    } catch (error) {
      if (error instanceof DeploymentError) return error.step;
      throw error;
    }
  }

  /** Sends one call for the rules below and reports it to `onCall`; a provider failure is thrown as the host's HostCallError. */
  async call<T>(rpc: Rpc, target: string, request: Props, send: (host: Host) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const response = await send(this.host);
      this.options.onCall?.({ rpc, urn: target, request, response, ms: performance.now() - started });
      return response;
    } catch (error) {
      if (error instanceof HostCallError) this.options.onCall?.({ rpc, urn: target, request, error, ms: performance.now() - started });
      throw error;
    }
  }
}

/** The resource name in a URN (its last part). */
export function nameOf(resourceUrn: string): string {
  return resourceUrn.slice(resourceUrn.lastIndexOf("::") + 2);
}

/** What Check and Diff decided for one resource of the program. */
type Plan =
  | { op: "create"; urn: string; inputs: Props }
  | { op: "same" | "update"; urn: string; old: StateEntry; inputs: Props; changed: string[] }
  | { op: "replace"; urn: string; old: StateEntry; changed: string[]; deleteBeforeReplace: boolean };

/** Check; a validation failure stops the deployment with every reason, as the CLI shows them. */
async function check(engine: Engine, target: string, olds: Props, news: Props): Promise<Props> {
  const result = await engine.call("check", target, { olds, news }, (h) => h.check(target, olds, news));
  if (result.failures.length > 0) {
    const reasons = result.failures.map((f) => `  ${f.property || "(resource)"}: ${f.reason}`).join("\n");
    throw new Error(`Check of ${nameOf(target)} (${target.split("::").at(-2)}) failed; fix the program's inputs:\n${reasons}`);
  }
  return result.inputs;
}

/** Check, then (for a resource in state) Diff: the calls `pulumi preview` makes for it. */
async function plan(engine: Engine, state: StackState, r: Registration): Promise<Plan> {
  const old = state.resources.get(r.urn);
  if (!old) return { op: "create", urn: r.urn, inputs: await check(engine, r.urn, {}, r.inputs) };
  const inputs = await check(engine, r.urn, old.inputs, r.inputs);
  const request = { id: old.id, olds: old.outputs, news: inputs, oldInputs: old.inputs };
  const diff = await engine.call("diff", r.urn, request, (h) => h.diff(old.id, old.urn, old.outputs, inputs, old.inputs));
  const changed = changedInputs(old.inputs, inputs);
  // DIFF_UNKNOWN: the engine compares the inputs itself, the provider's code included.
  const some =
    diff.changes === "some" || (diff.changes === "unknown" && (changed.length > 0 || old.inputs.__provider !== inputs.__provider));
  if (some && diff.replaces.length > 0)
    return { op: "replace", urn: r.urn, old, changed: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace };
  // A resource with init errors gets an Update even when nothing changed (step_generator.go).
  if (some || (old.initErrors?.length ?? 0) > 0) return { op: "update", urn: r.urn, old, inputs, changed };
  return { op: "same", urn: r.urn, old, inputs, changed: [] };
}

function planned(p: Plan): PlannedStep {
  const base = { op: p.op, urn: p.urn, name: nameOf(p.urn), changed: p.op === "create" ? [] : p.changed };
  return p.op === "replace" ? { ...base, deleteBeforeReplace: p.deleteBeforeReplace } : base;
}

/** The partial-failure detail of a provider error, when it carries the id of something that exists. */
function partial(error: HostCallError) {
  return error.initFailure?.id ? error.initFailure : undefined;
}

/** Create; ok and partial failures are recorded in state, a plain failure records nothing. */
async function createStep(engine: Engine, state: StackState, p: PlannedStep, inputs: Props): Promise<Step> {
  try {
    const { id, outputs } = await engine.call("create", p.urn, { inputs }, (h) => h.create(p.urn, inputs));
    const entry = { urn: p.urn, id, inputs, outputs };
    state.resources.set(p.urn, entry);
    return { ...p, kind: "ok", state: entry };
  } catch (error) {
    if (!(error instanceof HostCallError)) throw error;
    const failure = partial(error);
    if (!failure) return { ...p, kind: "error", error };
    const entry = { urn: p.urn, id: failure.id, inputs, outputs: failure.properties, initErrors: failure.reasons };
    state.resources.set(p.urn, entry);
    return { ...p, kind: "partial", error, state: entry };
  }
}

/**
 * Update; ok clears init errors. A partial failure records the old inputs with the failure's properties and
 * reasons (engine/update.go, OnResourceStepPost: the resource was not updated with the new inputs), so the next
 * Diff still sees the change; a plain failure keeps the old entry.
 */
async function updateStep(engine: Engine, state: StackState, p: PlannedStep, old: StateEntry, inputs: Props): Promise<Step> {
  const request = { id: old.id, olds: old.outputs, news: inputs, oldInputs: old.inputs };
  try {
    const { outputs } = await engine.call("update", p.urn, request, (h) => h.update(old.id, old.urn, old.outputs, inputs, old.inputs));
    const entry = { urn: old.urn, id: old.id, inputs, outputs };
    state.resources.set(old.urn, entry);
    return { ...p, kind: "ok", state: entry };
  } catch (error) {
    if (!(error instanceof HostCallError)) throw error;
    const failure = partial(error);
    if (!failure) return { ...p, kind: "error", error, state: old };
    const entry = { urn: old.urn, id: old.id, inputs: old.inputs, outputs: failure.properties, initErrors: failure.reasons };
    state.resources.set(old.urn, entry);
    return { ...p, kind: "partial", error, state: entry };
  }
}

/** Delete with the stored outputs (which carry the code that runs); a failure keeps the entry where it was. */
async function deleteStep(engine: Engine, state: StackState, old: StateEntry, op: "delete" | "delete-replaced"): Promise<Step> {
  const step: PlannedStep = { op, urn: old.urn, name: nameOf(old.urn), changed: [] };
  try {
    const request = { id: old.id, outputs: old.outputs, inputs: old.inputs };
    await engine.call("delete", old.urn, request, (h) => h.delete(old.id, old.urn, old.outputs, old.inputs));
  } catch (error) {
    if (!(error instanceof HostCallError)) throw error;
    return { ...step, kind: "error", error, state: old };
  }
  const pending = state.pendingDeletes.indexOf(old);
  if (pending >= 0) state.pendingDeletes.splice(pending, 1);
  else if (state.resources.get(old.urn) === old) state.resources.delete(old.urn);
  return { ...step, kind: "ok" };
}

/** Applies one resource's plan; a create-before-delete replacement leaves the old one in `pendingDeletes`. */
async function applyPlan(engine: Engine, state: StackState, p: Plan, r: Registration): Promise<Step[]> {
  const step = planned(p);
  if (p.op === "create") return [await createStep(engine, state, step, p.inputs)];
  if (p.op === "update") return [await updateStep(engine, state, step, p.old, p.inputs)];
  if (p.op !== "replace") {
    // A same step stores the new inputs and keeps the old outputs.
    const entry = { ...p.old, inputs: p.inputs };
    state.resources.set(p.urn, entry);
    return [{ ...step, kind: "ok", state: entry }];
  }
  // A replacement is checked again without olds, before anything is deleted.
  const fresh = await check(engine, r.urn, {}, r.inputs);
  if (p.deleteBeforeReplace) {
    const removed = await deleteStep(engine, state, p.old, "delete-replaced");
    if (removed.kind !== "ok") return [removed];
    return [removed, await createStep(engine, state, step, fresh)];
  }
  const created = await createStep(engine, state, step, fresh);
  // The old one is marked for deletion once the replacement exists (in part, too); a plain failure keeps it live.
  if (created.state) state.pendingDeletes.push(p.old);
  return [created];
}

/** The pool size: the deployment's, else the engine's, else the CLI's default of 4 × the CPUs. */
function poolSize(engine: Engine, options: DeployOptions): number {
  return options.parallel ?? engine.options.parallel ?? 4 * cpus().length;
}

/** A deployment's steps, and the phases that add to them: each runs in the pool and stops after a failed step. */
function stepsOf(engine: Engine, options: DeployOptions) {
  const steps: Step[] = [];
  return {
    steps,
    /** Runs `work` for each item; throws DeploymentError once a step failed and the running ones ended. */
    async phase<T>(items: readonly T[], work: (item: T) => Promise<Step[]>): Promise<void> {
      let failed: Step | undefined;
      const record = async (item: T) => {
        for (const step of await work(item)) {
          steps.push(step);
          options.onStep?.(step);
          failed ??= step.kind === "ok" ? undefined : step;
        }
      };
      await runPool(items, poolSize(engine, options), record, { stop: () => failed !== undefined });
      if (failed) throw new DeploymentError(failed, steps);
    },
  };
}

/** `pulumi preview`: what `up` would do, from Check and Diff alone; nothing is created, changed or deleted. */
export async function preview(
  engine: Engine,
  state: StackState,
  program: readonly Registration[],
  options: DeployOptions = {},
): Promise<PlannedStep[]> {
  const plans = await runPool(program, poolSize(engine, options), async (r) => planned(await plan(engine, state, r)));
  const wanted = new Set(program.map((r) => r.urn));
  const gone = [...state.resources.values()].reverse().filter((old) => !wanted.has(old.urn));
  const pending = [...state.pendingDeletes]
    .reverse()
    .map((old) => ({ op: "delete-replaced" as const, urn: old.urn, name: nameOf(old.urn), changed: [] }));
  return [...plans, ...gone.map((old) => ({ op: "delete" as const, urn: old.urn, name: nameOf(old.urn), changed: [] })), ...pending];
}

/**
 * `pulumi up`: each program resource (Check, Diff, and Create, Update or a replacement), then the deletes at the
 * end: resources replaced in this run and those gone from the program (newest first), then replaced resources an
 * earlier run failed to delete. Resolves to every step in the order they ended; rejects with DeploymentError when
 * one failed.
 */
export async function up(
  engine: Engine,
  state: StackState,
  program: readonly Registration[],
  options: DeployOptions = {},
): Promise<Step[]> {
  const { steps, phase } = stepsOf(engine, options);
  const earlier = [...state.pendingDeletes].reverse();
  const before = [...state.resources.values()];
  await phase(program, async (r) => {
    try {
      return await applyPlan(engine, state, await plan(engine, state, r), r);
    } catch (error) {
      // A failed Check or Diff call (not a validation failure) is this resource's failed step.
      if (!(error instanceof HostCallError)) throw error;
      const old = state.resources.get(r.urn);
      return [{ op: old ? "update" : "create", urn: r.urn, name: nameOf(r.urn), changed: [], kind: "error", error, state: old }];
    }
  });
  const wanted = new Set(program.map((r) => r.urn));
  const replaced = new Set(state.pendingDeletes);
  const last = before.reverse().flatMap((old): { old: StateEntry; op: "delete" | "delete-replaced" }[] => {
    if (replaced.has(old)) return [{ old, op: "delete-replaced" }];
    return wanted.has(old.urn) ? [] : [{ old, op: "delete" }];
  });
  const retired = earlier.map((old) => ({ old, op: "delete-replaced" as const }));
  await phase([...last, ...retired], async ({ old, op }) => [await deleteStep(engine, state, old, op)]);
  return steps;
}

/** `pulumi destroy`: `up` of an empty program, so every resource is deleted, newest first, with its stored outputs. */
export function destroy(engine: Engine, state: StackState, options: DeployOptions = {}): Promise<Step[]> {
  return up(engine, state, [], options);
}

/** `pulumi refresh`: Read each resource; gone when Read answers no id, else its answer replaces what state holds. */
export async function refresh(engine: Engine, state: StackState, options: DeployOptions = {}): Promise<Step[]> {
  const { steps, phase } = stepsOf(engine, options);
  await phase([...state.resources.values()], async (old) => {
    const step: PlannedStep = { op: "read", urn: old.urn, name: nameOf(old.urn), changed: [] };
    try {
      const request = { id: old.id, outputs: old.outputs, inputs: old.inputs };
      const read = await engine.call("read", old.urn, request, (h) => h.read(old.id, old.urn, old.outputs, old.inputs));
      if (read.id === "") {
        state.resources.delete(old.urn);
        return [{ ...step, kind: "ok" }];
      }
      const entry = { urn: old.urn, id: read.id, inputs: read.inputsReturned ? read.inputs : old.inputs, outputs: read.outputs };
      state.resources.set(old.urn, entry);
      return [{ ...step, kind: "ok", state: entry }];
    } catch (error) {
      if (!(error instanceof HostCallError)) throw error;
      return [{ ...step, kind: "error", error, state: old }];
    }
  });
  return steps;
}

/** The input names whose values differ (the provider's code, `__provider`, is not an input people change). */
function changedInputs(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}
