/**
 * The real Pulumi CLI for end-to-end tests: where it is, whether the suite must run, and an isolated
 * place to run it (PULUMI_HOME, a file:// backend and a passphrase in a temp folder; no update check, no
 * plugin downloads). A project is copied into the temp folder with the repository's node_modules linked
 * in, so the program and the provider host the engine starts resolve `pulumi-truto-access` as users do.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { findExecutable } from "../../tools/demo/find-executable";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The executables a run needs on PATH: the CLI and the two plugins scripts/pulumi-cli.sh installs beside it. */
const NEEDED = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"] as const;

/** The `pulumi` executable when it and its plugins are on PATH; otherwise what is missing. */
export function locatePulumi(): { pulumi: string } | { missing: string[] } {
  const found = NEEDED.map((name) => [name, findExecutable(name)] as const);
  const missing = found.filter(([, at]) => at === undefined).map(([name]) => name);
  return missing.length > 0 ? { missing } : { pulumi: found[0][1]! };
}

/** `PULUMI_E2E=required`: a missing CLI fails the suite instead of skipping it (CI sets this). */
export const E2E_REQUIRED = process.env.PULUMI_E2E === "required";

// Whether the suite's one line about a missing CLI has been registered (every e2e file shares this module).
let absenceReported = false;

/**
 * `describe` for suites that need the real CLI. Without it, the whole end-to-end suite is one pending line
 * saying so (registered by the first file that asks; the others add nothing), or, with PULUMI_E2E=required,
 * one failing test saying what is missing.
 */
export function describeWithPulumi(title: string, body: (pulumi: string) => void): void {
  const where = locatePulumi();
  if ("pulumi" in where) {
    describe(title, () => body(where.pulumi));
    return;
  }
  if (absenceReported) return;
  absenceReported = true;
  const what = `${where.missing.join(", ")} not on PATH; run \`PATH="$(bash scripts/pulumi-cli.sh):$PATH"\` first`;
  describe("e2e: the real Pulumi CLI (test/e2e)", () => {
    if (E2E_REQUIRED) {
      it("needs the Pulumi CLI (PULUMI_E2E=required)", () => {
        throw new Error(`The end-to-end suite is required, but ${what}.`);
      });
    } else {
      it(`skipped, every file: the real Pulumi CLI is absent (${what}, or set PULUMI_E2E=required to fail instead)`);
    }
  });
}

/** What one CLI command did. `output` is stdout and stderr as they interleaved. */
export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  output: string;
}

export interface RunOptions {
  /** Extra or overriding environment variables; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Resolve on a non-zero exit instead of rejecting. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /** Called with the child once it started (to kill it mid-run). */
  onSpawn?: (child: ChildProcess, output: () => string) => void;
  /**
   * Start the CLI as the leader of a process group of its own, so `killGroup(child)` can kill it together with
   * the plugins it started (language host, provider hosts), as when the machine or CI job running it dies.
   */
  processGroup?: boolean;
}

/** SIGKILL to the process group a `processGroup: true` run leads: the CLI and every plugin it started. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) throw new Error("killGroup: the CLI has no pid (it did not start)");
  process.kill(-child.pid, "SIGKILL");
}

// Generous: a cold ts-node start and the engine on a loaded 2-core machine; a hung CLI still ends.
const DEFAULT_TIMEOUT_MS = 240_000;

// Variables of the developer's own Pulumi or Truto set-up that must not reach an isolated run.
const SCRUBBED = /^(PULUMI_|TRUTO_)/;

/** `args` with `flags` added before a `--` (after which everything is a positional value), else at the end. */
function withFlags(args: string[], ...flags: string[]): string[] {
  const end = args.indexOf("--");
  return end < 0 ? [...args, ...flags] : [...args.slice(0, end), ...flags, ...args.slice(end)];
}

/** An isolated Pulumi installation: its own PULUMI_HOME, file backend and passphrase, removed by `dispose`. */
export class PulumiWorkspace {
  private constructor(
    readonly pulumi: string,
    readonly root: string,
    readonly env: Record<string, string>,
  ) {}

  static async create(pulumi: string): Promise<PulumiWorkspace> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "truto-e2e-"));
    const home = path.join(root, "pulumi-home");
    const backend = path.join(root, "backend");
    await fs.mkdir(home);
    await fs.mkdir(backend);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !SCRUBBED.test(key)) env[key] = value;
    Object.assign(env, {
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: pathToFileURL(backend).href,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      // The programs are type-checked by `npm test`'s tsc; ts-node need not do it again on every run.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NO_COLOR: "1",
    });
    return new PulumiWorkspace(pulumi, root, env);
  }

  /** Where the file backend keeps stacks, checkpoints and history. */
  get backendDir(): string {
    return path.join(this.root, "backend");
  }

  get homeDir(): string {
    return path.join(this.root, "pulumi-home");
  }

  /**
   * Copies the project in `source` (a folder with Pulumi.yaml) to a folder of its own here, links the
   * repository's node_modules into it, and returns the copy's path. `files` adds or replaces files.
   */
  async project(source: string, files: Record<string, string> = {}): Promise<string> {
    const dir = path.join(this.root, `${path.basename(source)}-${randomBytes(3).toString("hex")}`);
    await fs.cp(source, dir, { recursive: true, filter: (from) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(path.relative(source, from)) });
    await fs.symlink(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
    return dir;
  }

  /** Runs `pulumi <args>` in `cwd` with this workspace's environment. */
  run(cwd: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
    const env: Record<string, string> = { ...this.env };
    for (const [key, value] of Object.entries(opts.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.pulumi, withFlags(args, "--non-interactive"), {
        cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: opts.processGroup === true,
      });
      let stdout = "";
      let stderr = "";
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => ((stdout += chunk), (output += chunk)));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => ((stderr += chunk), (output += chunk)));
      const timer = setTimeout(() => (opts.processGroup ? killGroup(child) : child.kill("SIGKILL")), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      opts.onSpawn?.(child, () => output);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${this.pulumi}: ${error.message}`));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        const result = { args, code, signal, stdout, stderr, output };
        if (code === 0 || opts.allowFailure) return resolve(result);
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(new Error(`\`pulumi ${args.join(" ")}\` ${how}:\n${output.trim()}`));
      });
    });
  }

  /** Every file under the workspace (backend and PULUMI_HOME), for leak checks. */
  async files(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) out.push(full);
      }
    };
    await walk(this.backendDir);
    await walk(this.homeDir);
    return out;
  }

  async dispose(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

/** A stack of one project in a workspace, with the commands the scenarios use. */
export class PulumiStack {
  private constructor(
    readonly workspace: PulumiWorkspace,
    readonly dir: string,
    readonly name: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  /** `pulumi stack init` for a new stack in `dir`; `env` is added to every command of this stack. */
  static async init(workspace: PulumiWorkspace, dir: string, env: Record<string, string | undefined> = {}): Promise<PulumiStack> {
    const name = `e2e-${randomBytes(3).toString("hex")}`;
    const stack = new PulumiStack(workspace, dir, name, env);
    await stack.run(["stack", "init"]);
    return stack;
  }

  run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    return this.workspace.run(this.dir, withFlags(args, "--stack", this.name), { ...opts, env: { ...this.env, ...opts.env } });
  }

  up(opts: RunOptions = {}, ...flags: string[]): Promise<CliResult> {
    return this.run(["up", "--yes", "--skip-preview", ...flags], opts);
  }

  preview(opts: RunOptions = {}, ...flags: string[]): Promise<CliResult> {
    return this.run(["preview", ...flags], opts);
  }

  /** `pulumi preview --json` parsed, with the flags given. */
  async previewJson(...flags: string[]): Promise<PreviewJson> {
    return (await this.previewJsonText(...flags)).json;
  }

  /** `pulumi preview --json` with the flags given: its stdout exactly as the CLI printed it, and parsed. */
  async previewJsonText(...flags: string[]): Promise<{ text: string; json: PreviewJson }> {
    const result = await this.run(["preview", "--json", ...flags], { allowFailure: true });
    try {
      return { text: result.stdout, json: JSON.parse(result.stdout) as PreviewJson };
    } catch {
      throw new Error(`\`pulumi preview --json ${flags.join(" ")}\` did not print JSON (exit ${result.code}):\n${result.output}`);
    }
  }

  refresh(opts: RunOptions = {}, ...flags: string[]): Promise<CliResult> {
    return this.run(["refresh", "--yes", "--skip-preview", ...flags], opts);
  }

  destroy(opts: RunOptions = {}, ...flags: string[]): Promise<CliResult> {
    return this.run(["destroy", "--yes", "--skip-preview", ...flags], opts);
  }

  setConfig(key: string, value: string, opts: { secret?: boolean } = {}): Promise<CliResult> {
    return this.run(["config", "set", key, opts.secret ? "--secret" : "--plaintext", "--", value].filter(Boolean));
  }

  removeConfig(key: string): Promise<CliResult> {
    return this.run(["config", "rm", key]);
  }

  /** `pulumi stack export`, parsed. */
  async exportState(): Promise<StackExport> {
    return JSON.parse((await this.run(["stack", "export"])).stdout) as StackExport;
  }

  /** The RoleAssignment resources in state, by logical name. */
  async assignments(): Promise<Map<string, StateResource>> {
    const exported = await this.exportState();
    const out = new Map<string, StateResource>();
    for (const r of exported.deployment.resources ?? []) {
      if (r.type === ROLE_ASSIGNMENT_TYPE) out.set(r.urn.split("::").pop()!, r);
    }
    return out;
  }

  async remove(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force"], { allowFailure: true });
  }
}

/** The type token RoleAssignment registers: a dynamic resource with module "truto" and type "RoleAssignment". */
export const ROLE_ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";

/** The parts of `pulumi stack export` the scenarios read. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, any>;
  outputs?: Record<string, any>;
  initErrors?: string[];
  pendingReplacement?: boolean;
  delete?: boolean;
}

export interface StackExport {
  version: number;
  deployment: { resources?: StateResource[]; pending_operations?: { resource: StateResource; type: string }[] };
}

/** The parts of `pulumi preview --json` the scenarios read. */
export interface PreviewJson {
  steps?: {
    op: string;
    urn: string;
    provider?: string;
    oldState?: StateResource;
    newState?: StateResource;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, { kind: string }>;
  }[];
  diagnostics?: { message: string; severity: string; urn?: string }[];
  changeSummary?: Record<string, number>;
}
