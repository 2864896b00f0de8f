/** What both ways of running the demo (with the Pulumi CLI, or through the provider host) share. */
import type { ProgramRun } from "../engine/program";
import type { SandboxEndpoint } from "../../src/sandbox";

/** The stack-config change the demo makes between its two `up`s. */
export interface ConfigChange {
  key: string;
  value: string;
  /** What it means, for the step line. */
  what: string;
}

/** The demo's inputs and its ways to report. */
export interface DemoContext {
  /** The Pulumi project directory (the repository root, whose Pulumi.yaml runs examples/access). */
  projectDir: string;
  sandbox: SandboxEndpoint;
  change: ConfigChange;
  /** The program run under mocks before and after the change: what each `up` should leave held. */
  runs: { before: ProgramRun; after: ProgramRun };
  /** Prints one line for a person. */
  say(line: string): void;
  /** Prints who holds what and throws if the sandbox does not show what `run` declares (and nothing it retired). */
  checkpoint(title: string, run: ProgramRun, retired: ProgramRun[]): Promise<void>;
}
