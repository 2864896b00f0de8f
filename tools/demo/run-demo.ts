/**
 * The demo: the repository's root stack (examples/access) against an embedded sandbox, through `up`, a
 * role change and `destroy`, with who-holds-what printed from the sandbox after each. It succeeds only
 * when the sandbox, not a provider answer, shows every role the demo granted revoked at the end and the roles
 * people held before it still held (the program says onDelete "restore").
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../engine/package-root";
import { runProgram, type ProgramRun } from "../engine/program";
import { readProjectFile } from "../engine/project-file";
import { startSandbox } from "../../src/sandbox";
import { walkWithPulumiCli } from "./cli-walk";
import type { ConfigChange, DemoContext } from "./context";
import { declaredGrants, grantsMissingFrom, isGrantHeld, uniqueGrants, type DeclaredGrant } from "./declared-grants";
import { findExecutable } from "./find-executable";
import { holdingsTable } from "./holdings";
import { walkWithProviderHost } from "./host-walk";
import { sandboxAdmin } from "../../src/sandbox";
import { renderTable } from "./text-table";

/** The one config change the demo makes: Bob moves from User Admin to Security Admin in Slack. */
export const DEMO_CHANGE: ConfigChange = { key: "bobSlackRole", value: "Rl0J", what: "Bob: Slack User Admin → Security Admin" };

/** How to run the demo. */
export interface DemoOptions {
  /** Keep the sandbox's state in this file (kept afterwards); default: a temp file, removed. */
  stateFile?: string;
  /**
   * "auto" uses the Pulumi CLI when it is on PATH and walks the provider host when not; "required" fails (exit 1,
   * before anything runs) when it is not on PATH; "never" always walks the provider host. Default: "required" when
   * PULUMI_E2E=required (as in CI, so a run without the CLI cannot pass for one with it), else "auto".
   */
  pulumiCli?: "auto" | "never" | "required";
  /** Where lines go; default stdout. */
  write?: (text: string) => void;
}

function grantRows(grants: readonly DeclaredGrant[]): string {
  return renderTable(
    ["RESOURCE", "USER", "ROLE"],
    grants.map((g) => [g.resource, g.userId, g.label]),
  );
}

/** Runs the demo; resolves to the exit code (0 only when every declared role ends up revoked). */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const started = Date.now();
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const say = (line: string) => write(`${line}\n`);
  const mode = options.pulumiCli ?? (process.env.PULUMI_E2E === "required" ? "required" : "auto");
  const pulumi = mode === "never" ? undefined : findExecutable("pulumi");
  if (mode === "required" && !pulumi) {
    const why = options.pulumiCli === "required" ? "--pulumi-cli=required" : "PULUMI_E2E=required";
    say(
      `FAILED: the Pulumi CLI is required (${why}) but \`pulumi\` is not on PATH; run \`PATH="$(bash scripts/pulumi-cli.sh):$PATH"\` first.`,
    );
    return 1;
  }
  const projectDir = packageRoot();
  const tempDir = options.stateFile ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), "truto-access-demo-state-"));
  const stateFile = options.stateFile ? path.resolve(options.stateFile) : path.join(tempDir!, "sandbox-state.json");
  const sandbox = await startSandbox({ stateFile });
  try {
    const before: ProgramRun = await runProgram({ projectDir, stack: "demo" });
    const after: ProgramRun = await runProgram({ projectDir, stack: "demo", config: { [DEMO_CHANGE.key]: DEMO_CHANGE.value } });
    const accounts = [...new Set([...before.resources, ...after.resources].map((r) => String(r.inputs.integratedAccountId)))];
    const showHoldings = async (title: string) => {
      const state = await sandboxAdmin(sandbox).state();
      say(`  Who holds what ${title} (GET /_sandbox/state):`);
      say(holdingsTable(state, accounts));
      return state;
    };
    const ctx: DemoContext = {
      projectDir,
      sandbox,
      change: DEMO_CHANGE,
      runs: { before, after },
      say,
      async checkpoint(title, run, retired) {
        const state = await showHoldings(title);
        const declared = declaredGrants(run.resources);
        const missing = declared.filter((g) => !isGrantHeld(state, g));
        const lingering = retired
          .flatMap((r) => grantsMissingFrom(declaredGrants(r.resources), declared))
          .filter((g) => isGrantHeld(state, g));
        if (missing.length > 0) throw new Error(`Declared but not held ${title}:\n${grantRows(missing)}`);
        if (lingering.length > 0) throw new Error(`Removed from the program but still held ${title}:\n${grantRows(lingering)}`);
      },
    };

    say(`Truto sandbox on ${sandbox.url}, started from its seed (state: ${options.stateFile ? stateFile : "a temp file"}).`);
    say(
      `Program: ${path.relative(projectDir, readProjectFile(projectDir).main)} (stack "demo"), ${before.resources.length} RoleAssignments.`,
    );
    const start = await showHoldings("before");

    let failure: unknown;
    try {
      if (pulumi) {
        await walkWithPulumiCli(ctx, pulumi);
      } else {
        say(
          mode === "never"
            ? "No Pulumi CLI: not used (--no-pulumi-cli)."
            : "No Pulumi CLI: not found on PATH (install it from https://www.pulumi.com/docs/install/ to run the real thing).",
        );
        say("  Walking the same program through the real provider host instead: the program runs under Pulumi's");
        say("  mocks for each resource's inputs, and @pulumi/pulumi/cmd/dynamic-provider gets the engine's calls.");
        await walkWithProviderHost(ctx);
      }
    } catch (error) {
      failure = error;
    }

    const final = await showHoldings("at the end");
    // The program says onDelete "restore": roles held before the demo are left, everything it granted is revoked.
    const declared = uniqueGrants([...declaredGrants(before.resources), ...declaredGrants(after.resources)]);
    const preexisting = declared.filter((g) => isGrantHeld(start, g));
    const held = declared.filter((g) => isGrantHeld(final, g) && !preexisting.includes(g));
    const lost = preexisting.filter((g) => !isGrantHeld(final, g));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failure) say(`FAILED: ${failure instanceof Error ? failure.message : String(failure)}`);
    if (lost.length > 0) {
      say(
        `FAILED: ${lost.length} role(s) held before the demo were revoked although the program says onDelete "restore":\n${grantRows(lost)}`,
      );
      return 1;
    }
    if (held.length > 0) {
      say(`FAILED: ${held.length} role(s) the demo declared are still held:\n${grantRows(held)}`);
      return 1;
    }
    if (failure) return 1;
    say(
      `Done in ${seconds} s: the sandbox shows every role the demo granted revoked, and the ${preexisting.length} held before it still held.`,
    );
    return 0;
  } finally {
    await sandbox.close();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  }
}
