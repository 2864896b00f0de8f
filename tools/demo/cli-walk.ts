/**
 * The demo with the Pulumi CLI: a throwaway local backend and stack for the repository's root project,
 * then `up`, a config change with `preview --diff` and `up`, and `destroy`, against the sandbox.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { DemoContext } from "./context";

// No pulumi command in the demo should take this long; the bound keeps a hung CLI from hanging the demo.
const COMMAND_TIMEOUT_MS = 5 * 60_000;

/** Runs `pulumi <args> --non-interactive`; resolves to its output (stdout and stderr as they came), rejects with it. */
export interface Pulumi {
  run(args: string[]): Promise<string>;
}

/** A runner of the CLI at `executable` in `cwd` with `env`; a command still running after `timeoutMs` is killed. */
export function pulumiRunner(executable: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = COMMAND_TIMEOUT_MS): Pulumi {
  return {
    run: (args) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(executable, [...args, "--non-interactive"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.once("error", (error) => {
          clearTimeout(timer);
          reject(new Error(`Could not run ${executable}: ${error.message}`));
        });
        child.once("close", (code, signal) => {
          clearTimeout(timer);
          if (code === 0) return resolve(output);
          const how = signal ? `was stopped by ${signal}` : `exited with ${code}`;
          reject(new Error(`\`pulumi ${args.join(" ")}\` ${how}. Its output:\n${output.trim()}`));
        });
      }),
  };
}

/**
 * This process's environment with Pulumi isolated from the user's own set-up in `workDir`: its own home, a file
 * backend there, a throwaway passphrase, no update check and no downloads.
 */
export async function isolatedPulumiEnv(workDir: string): Promise<NodeJS.ProcessEnv> {
  const backend = path.join(workDir, "backend");
  const home = path.join(workDir, "pulumi-home");
  await fs.mkdir(backend, { recursive: true });
  await fs.mkdir(home, { recursive: true });
  return {
    ...process.env,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: pathToFileURL(backend).href,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}

/** The lines of Pulumi's "Resources:" summary, indented for the demo's output. */
function summary(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Resources:");
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === "");
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => `    ${l.trim()}`);
}

/** Runs the demo's commands with the Pulumi CLI at `executable`; throws on the first failed command or check. */
export async function walkWithPulumiCli(ctx: DemoContext, executable: string): Promise<void> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "truto-access-demo-"));
  const stack = `demo-${randomBytes(3).toString("hex")}`;
  // `stack init` writes Pulumi.<stack>.yaml beside Pulumi.yaml; the demo removes the one it made.
  const settingsFile = path.join(ctx.projectDir, `Pulumi.${stack}.yaml`);
  const settingsExisted = existsSync(settingsFile);
  const pulumi = pulumiRunner(executable, ctx.projectDir, {
    ...(await isolatedPulumiEnv(workDir)),
    TRUTO_BASE_URL: ctx.sandbox.url,
    TRUTO_API_TOKEN: ctx.sandbox.token,
  });
  const onStack = ["--stack", stack];
  try {
    ctx.say(`Pulumi CLI: ${executable}; local backend in a temp directory, stack "${stack}"`);
    await pulumi.run(["stack", "init", stack]);

    ctx.say("[1/3] pulumi up --yes");
    for (const line of summary(await pulumi.run(["up", "--yes", "--skip-preview", ...onStack]))) ctx.say(line);
    await ctx.checkpoint("after up", ctx.runs.before, []);

    ctx.say(`[2/3] pulumi config set ${ctx.change.key} ${ctx.change.value} (${ctx.change.what}); pulumi preview --diff; pulumi up --yes`);
    await pulumi.run(["config", "set", ctx.change.key, ctx.change.value, ...onStack]);
    const diff = await pulumi.run(["preview", "--diff", ...onStack]);
    for (const line of diff.trimEnd().split("\n")) ctx.say(`    ${line}`);
    for (const line of summary(await pulumi.run(["up", "--yes", "--skip-preview", ...onStack]))) ctx.say(line);
    await ctx.checkpoint("after the change", ctx.runs.after, [ctx.runs.before]);

    ctx.say("[3/3] pulumi destroy --yes");
    for (const line of summary(await pulumi.run(["destroy", "--yes", "--skip-preview", ...onStack]))) ctx.say(line);
  } finally {
    await pulumi.run(["stack", "rm", stack, "--yes", "--force"]).catch(() => undefined);
    if (!settingsExisted) await fs.rm(settingsFile, { force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
