/**
 * The sandbox in a process of its own (`pulumi-truto-access sandbox`, the product's own command), so the
 * server's CPU is not shared with the engine-side driver and the API looks remote, as Truto is.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { sandboxAdmin, type LoggedRequest, type SandboxSettings, type SandboxState } from "../src/sandbox";
import { packageRoot } from "../tools/engine/package-root";

/** A running sandbox process and its admin API. */
export interface SandboxProcess {
  url: string;
  /** The bearer token; hand it to the host's environment, never print it. */
  token: string;
  pid: number;
  /** GET /_sandbox/state. */
  state(): Promise<SandboxState>;
  /** PUT /_sandbox/state. */
  putState(state: SandboxState): Promise<void>;
  /** GET /_sandbox/requests, oldest first. */
  requests(): Promise<LoggedRequest[]>;
  /** DELETE /_sandbox/requests. */
  clearRequests(): Promise<void>;
  /** PATCH /_sandbox/config; a new rate limit starts with empty windows. */
  configure(change: Partial<SandboxSettings>): Promise<SandboxSettings>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 20_000;

/** Starts `node dist/cli/main.js sandbox` with both Truto limits off (a scenario turns one on) and waits for its `{url, token}` line. */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const cli = path.join(packageRoot(), "dist", "cli", "main.js");
  const child = spawn(process.execPath, [cli, "sandbox", "--rate-limit", "off", "--token-rate-limit", "off"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  let first: { url: string; token: string };
  try {
    first = await firstLine(child, stderr, cli);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const { url, token } = first;
  const admin = sandboxAdmin({ url, token });
  return {
    url,
    token,
    pid: child.pid!,
    state: () => admin.state(),
    putState: async (state) => void (await admin.putState(state)),
    requests: () => admin.requests(),
    clearRequests: () => admin.clearRequests(),
    configure: (change) => admin.config(change),
    stop: () => stop(child),
  };
}

// The stderr banner names the token; it is shown only when the process failed before its first line.
function firstLine(child: ChildProcess, stderr: string[], cli: string): Promise<{ url: string; token: string }> {
  return new Promise((resolve, reject) => {
    let head = "";
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`bench: the sandbox (${cli}) ${why}. Run \`npm run build\` first. Its stderr:\n${stderr.join("")}`));
    };
    const timer = setTimeout(() => fail(`printed nothing within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code) => fail(`exited with code ${code} before printing {url, token}`));
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      if (done) return;
      head += chunk;
      const newline = head.indexOf("\n");
      if (newline < 0) return;
      try {
        const parsed = JSON.parse(head.slice(0, newline)) as { url?: unknown; token?: unknown };
        if (typeof parsed.url !== "string" || typeof parsed.token !== "string") throw new Error("no url or token");
        done = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ url: parsed.url, token: parsed.token });
      } catch {
        fail("printed a first line that is not {url, token} JSON");
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(escalate);
}
