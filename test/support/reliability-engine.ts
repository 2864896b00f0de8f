/**
 * A model of what the Pulumi engine records for each provider answer, so reliability tests can compare
 * the sandbox with the state Pulumi would hold (pulumi-dynamic-notes §5.3):
 * create ok → outputs; create plain error → nothing; create partial → the failure's properties;
 * update ok → outputs; update plain error → old state; update partial → the failure's properties;
 * read → the returned outputs, or gone when the id is ""; delete ok → gone; delete error → old state.
 */
import { HostCallError, urn, type Host } from "./host";
import type { LeakWatch } from "./reliability-leaks";

type Props = Record<string, unknown>;

/** One resource as the engine would hold it in state. */
export interface Recorded {
  id: string;
  inputs: Props;
  outputs: Props;
  /** Reasons of a partial failure; the next `up` always runs Update for such a resource. */
  initErrors?: string[];
}

/** How a provider call ended, as the engine sees it. */
export type StepKind = "ok" | "partial" | "error";

/** The result of one engine step: how it ended and what state holds afterwards. */
export interface Step {
  kind: StepKind;
  /** The resource as recorded after the step; undefined when state holds nothing for it. */
  state?: Recorded;
  /** The failure, for "partial" and "error". */
  error?: HostCallError;
  /** What the step called: "create", "update", "no-op", "read" or "delete". */
  call: string;
}

/** Drives one provider host the way the engine does, and records what the engine would. */
export class EngineModel {
  constructor(
    private readonly hostRef: () => Host,
    private readonly providerRef: () => string,
    private readonly watch?: LeakWatch,
  ) {}

  private get host(): Host {
    return this.hostRef();
  }

  /** The program's inputs for a resource, with the serialized provider the SDK would add. */
  program(inputs: Props): Props {
    return { ...inputs, __provider: this.providerRef() };
  }

  private scan(label: string, value: unknown): void {
    this.watch?.scan(label, value);
  }

  // Runs a call, scanning what went out and what came back; a provider failure becomes a Step.
  private async run<T>(call: string, sent: unknown, send: () => Promise<T>): Promise<{ value?: T; error?: HostCallError }> {
    this.scan(`${call} request`, sent);
    try {
      const value = await send();
      this.scan(`${call} response`, value);
      return { value };
    } catch (e) {
      if (!(e instanceof HostCallError)) throw e;
      this.scan(`${call} error message`, e.message);
      if (e.initFailure) this.scan(`${call} partial-failure properties`, e.initFailure);
      return { error: e };
    }
  }

  /** Check as on `pulumi up`; a test that expects valid inputs fails here, naming the failures. */
  async check(name: string, inputs: Props, olds: Props = {}): Promise<Props> {
    const news = this.program(inputs);
    const { value, error } = await this.run("check", news, () => this.host.check(urn(name), olds, news));
    if (error) throw error;
    if (value!.failures.length > 0) throw new Error(`check of ${name} failed: ${JSON.stringify(value!.failures)}`);
    return value!.inputs;
  }

  /** Create, as on the first `pulumi up` of a resource. */
  async create(name: string, inputs: Props): Promise<Step> {
    const checked = await this.check(name, inputs);
    const { value, error } = await this.run("create", checked, () => this.host.create(urn(name), checked));
    if (value) return { kind: "ok", call: "create", state: { id: value.id, inputs: checked, outputs: value.outputs } };
    if (error!.initFailure) {
      const f = error!.initFailure;
      return { kind: "partial", call: "create", error, state: { id: f.id, inputs: checked, outputs: f.properties, initErrors: f.reasons } };
    }
    return { kind: "error", call: "create", error };
  }

  /** `pulumi up` for a resource in state: check, diff, then Update when something changed or init errors remain. */
  async update(name: string, state: Recorded, inputs: Props): Promise<Step> {
    const checked = await this.check(name, inputs, state.inputs);
    const diff = await this.run("diff", checked, () => this.host.diff(state.id, urn(name), state.outputs, checked, state.inputs));
    if (diff.error) return { kind: "error", call: "diff", error: diff.error, state };
    if (diff.value!.replaces.length > 0) throw new Error(`engine model: ${name} would be replaced (${diff.value!.replaces}); replacement is not modelled here.`);
    if (diff.value!.changes !== "some" && !state.initErrors?.length) return { kind: "ok", call: "no-op", state };
    const { value, error } = await this.run("update", checked, () => this.host.update(state.id, urn(name), state.outputs, checked, state.inputs));
    if (value) return { kind: "ok", call: "update", state: { id: state.id, inputs: checked, outputs: value.outputs } };
    if (error!.initFailure) {
      const f = error!.initFailure;
      return { kind: "partial", call: "update", error, state: { id: state.id, inputs: checked, outputs: f.properties, initErrors: f.reasons } };
    }
    return { kind: "error", call: "update", error, state };
  }

  /** `pulumi up`: Create when state holds nothing, else Update as above. */
  up(name: string, inputs: Props, state?: Recorded): Promise<Step> {
    return state ? this.update(name, state, inputs) : this.create(name, inputs);
  }

  /** `pulumi refresh` of one resource. */
  async refresh(name: string, state: Recorded): Promise<Step> {
    const { value, error } = await this.run("read", state.outputs, () => this.host.read(state.id, urn(name), state.outputs, state.inputs));
    if (error) return { kind: "error", call: "read", error, state };
    if (value!.id === "") return { kind: "ok", call: "read" };
    const inputs = value!.inputsReturned ? value!.inputs : state.inputs;
    return { kind: "ok", call: "read", state: { ...state, id: value!.id, inputs, outputs: value!.outputs } };
  }

  /** `pulumi destroy` of one resource. */
  async destroy(name: string, state: Recorded): Promise<Step> {
    const { error } = await this.run("delete", state.outputs, () => this.host.delete(state.id, urn(name), state.outputs, state.inputs));
    return error ? { kind: "error", call: "delete", error, state } : { kind: "ok", call: "delete" };
  }
}
