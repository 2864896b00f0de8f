/**
 * The reliability suites' test bench: a sandbox that can be restarted on the same port from its state
 * file, a consumer project, the real provider host pointed at the sandbox, the engine model over it, and
 * a leak watch that sees every value crossing the host's boundary. Mocha hooks start and stop it all.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { roleAssignmentProvider } from "../../../src/provider/shim";
import { sandboxAdmin, startSandbox, type SandboxAdmin, type SandboxHandle, type SandboxOptions } from "../../../src/sandbox";
import { makeConsumerProject, type ConsumerProject } from "../../../tools/engine/consumer-project";
import { startHost, type Host } from "../host";
import { serializeProvider } from "../pulumi-values";
import { Engine, type CallRecord } from "../../../tools/engine/deployment";
import { LeakWatch } from "./leaks";

/** How a suite wants its bench. */
export interface RigOptions {
  /** Sandbox options besides port and token (the rig picks those). */
  sandbox?: Omit<SandboxOptions, "port" | "token">;
  /** Host environment on top of the rig's defaults; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Per-call deadline of the host driver; default 30 s. */
  deadlineMs?: number;
  /** Reset the sandbox (seed state, no faults, empty log) before every test; default true. */
  resetEachTest?: boolean;
  /** Keep the sandbox's state in a file (in a fresh temp directory), so a restart resumes from it. */
  persist?: boolean;
}

/** A running bench; read its fields inside tests or hooks. */
export interface Rig {
  /** The sandbox's base URL (loopback). */
  readonly url: string;
  /** The API token of the sandbox and the hosts; a leak if it shows up anywhere. */
  readonly token: string;
  readonly admin: SandboxAdmin;
  /** The current provider host (replaced by restartHost). */
  readonly host: Host;
  /** The engine model (tools/engine) over the current host, with the rig's `__provider` and the leak watch on every call. */
  readonly engine: Engine;
  /** The same engine model over another host (one from {@link Rig.extraHost}). */
  engineFor(host: Host): Engine;
  readonly watch: LeakWatch;
  /** The serialized `__provider` shim, as a program would send it. */
  readonly providerText: string;
  /** The sandbox's state file, when the rig was asked to persist. */
  readonly stateFile: string | undefined;
  /** Closes the sandbox, as a crash would end it mid-request, without restarting it. */
  stopSandbox(): Promise<void>;
  /** Starts the sandbox again on the same port, with the same token, from its state file. */
  startSandboxAgain(): Promise<void>;
  /** Kills the host (SIGKILL by default, as a crash) and starts a fresh one; the engine uses the new one. */
  restartHost(signal?: NodeJS.Signals): Promise<void>;
  /** Starts an extra host with `env` over the rig's; it is watched and killed in `after`. */
  extraHost(env: Record<string, string | undefined>): Promise<Host>;
  /** Asserts the token appeared nowhere the watch looked, including everything every host printed. */
  assertNoLeaks(): void;
}

// Everything that crossed the host's boundary in one call: what was sent, what came back, the failure's message and detail.
function scanCall(watch: LeakWatch, call: CallRecord): void {
  watch.scan(`${call.rpc} request`, call.request);
  if (call.response !== undefined) watch.scan(`${call.rpc} response`, call.response);
  if (call.error) watch.scan(`${call.rpc} error message`, call.error.message);
  if (call.error?.initFailure) watch.scan(`${call.rpc} partial-failure properties`, call.error.initFailure);
}

// A token that cannot match anything by accident, so finding it anywhere is a leak.
function reliabilityToken(): string {
  return `sbx_rel_${randomBytes(18).toString("hex")}`;
}

/** Mocha helper: builds the bench in `before`, resets the sandbox in `beforeEach`, tears all down in `after`. */
export function useReliabilityRig(options: RigOptions = {}): Rig {
  const token = reliabilityToken();
  const watch = new LeakWatch([token, token.slice("sbx_rel_".length)]);
  let handle: SandboxHandle | undefined;
  let port = 0;
  let consumer: ConsumerProject | undefined;
  let providerText = "";
  let host: Host | undefined;
  let stateDir: string | undefined;
  const hosts = new Set<Host>();
  const get = (): SandboxHandle => {
    if (!handle) throw new Error("The reliability sandbox is not running: use the rig inside tests or hooks, or start it again.");
    return handle;
  };
  const admin = sandboxAdmin(get);
  const engineOver = (h: () => Host) => new Engine(h, { provider: () => providerText, onCall: (call) => scanCall(watch, call) });
  const engine = engineOver(() => rig.host);

  const hostEnv = (extra: Record<string, string | undefined> = {}) => ({
    TRUTO_API_TOKEN: token,
    TRUTO_BASE_URL: `http://127.0.0.1:${port}`,
    TRUTO_SETTLE_MS: "300",
    TRUTO_TIMEOUT_MS: "2000",
    TRUTO_RATE_LIMIT: "off",
    // Tests change the sandbox behind the provider's back, so reads are never served from a cache.
    TRUTO_READ_CACHE_MS: "0",
    ...options.env,
    ...extra,
  });
  const launch = async (extra?: Record<string, string | undefined>): Promise<Host> => {
    const h = await startHost({ cwd: consumer!.dir, env: hostEnv(extra), deadlineMs: options.deadlineMs ?? 30_000 });
    hosts.add(h);
    await h.configure({});
    return h;
  };
  const retire = async (h: Host, signal: NodeJS.Signals = "SIGTERM") => {
    watch.scan(`output of host pid ${h.pid}`, h.output());
    hosts.delete(h);
    await h.kill(signal);
  };
  const stateFile = () => (stateDir ? path.join(stateDir, "sandbox-state.json") : undefined);
  const sandboxOptions = (): SandboxOptions => ({ ...options.sandbox, token, port, stateFile: stateFile() });

  before(async function () {
    this.timeout(60_000);
    if (options.persist) stateDir = await fs.mkdtemp(path.join(os.tmpdir(), "truto-reliability-"));
    handle = await startSandbox(sandboxOptions());
    port = Number(new URL(handle.url).port);
    consumer = await makeConsumerProject();
    providerText = await serializeProvider(roleAssignmentProvider);
    watch.scan("__provider", providerText);
    host = await launch();
  });
  if (options.resetEachTest ?? true) beforeEach(() => admin.reset());
  after(async function () {
    this.timeout(60_000);
    for (const h of [...hosts]) await retire(h);
    await handle?.close();
    handle = undefined;
    await consumer?.cleanup();
    if (stateDir) await fs.rm(stateDir, { recursive: true, force: true });
  });

  const rig: Rig = {
    get url() {
      return get().url;
    },
    token,
    admin,
    get host() {
      if (!host) throw new Error("The reliability host is not running yet.");
      return host;
    },
    engine,
    engineFor: (h) => engineOver(() => h),
    watch,
    get providerText() {
      return providerText;
    },
    get stateFile() {
      return stateFile();
    },
    async stopSandbox() {
      await get().close();
      handle = undefined;
    },
    async startSandboxAgain() {
      if (handle) throw new Error("The sandbox is still running; stop it first.");
      handle = await startSandbox(sandboxOptions());
    },
    async restartHost(signal = "SIGKILL") {
      if (host) await retire(host, signal);
      host = await launch();
    },
    extraHost: (env) => launch(env),
    assertNoLeaks() {
      for (const h of hosts) watch.scan(`output of host pid ${h.pid}`, h.output());
      assert.ok(watch.count > 0, "the leak watch saw nothing; it must be wired to the engine");
      assert.deepEqual(watch.leaks, [], "the token showed up in these places");
    },
  };
  return rig;
}
