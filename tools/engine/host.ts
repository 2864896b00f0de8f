/**
 * Drives the real Pulumi dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC,
 * sending each request the way the engine does (pkg/resource/plugin/provider_plugin.go), so lifecycle
 * tests and the demo's no-CLI path exercise the same process, wire encoding and error paths as `pulumi up`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";

// The secret wrapper's key and signature, from the SDK that the host itself runs.
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

// Load gRPC and the generated stubs through @pulumi/pulumi's own resolution, so the client,
// its credentials and the message classes are the very instances the stubs were built with.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof GrpcJs;
const providerGrpc = pulumiRequire("./proto/provider_grpc_pb") as typeof ProviderGrpcPb;
const providerPb = pulumiRequire("./proto/provider_pb") as typeof ProviderPb;
const statusPb = pulumiRequire("./proto/status_pb") as typeof StatusPb;
const structPb = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
const emptyPb = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;

/** The protobuf modules the driver uses, for tests that hand-build a request for {@link Host.raw}. */
export const proto = { provider: providerPb, struct: structPb, status: statusPb, empty: emptyPb, grpc };

/** gRPC status codes by name (grpc.status), re-exported so tests need not load gRPC themselves. */
export const GrpcStatus = grpc.status;

/** Where the engine's provider shim script points node; resolved from this repository. */
export const HOST_ENTRY = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

/** How to start a provider host. */
export interface HostOptions {
  /** The working directory: the Pulumi program's directory, from which `require("pkg")` resolves. */
  cwd: string;
  /** PULUMI_NODEJS_PROJECT, which namespaces un-prefixed config keys; default "truto-access-test". */
  project?: string;
  /** Extra environment; `undefined` removes a variable inherited from this process. */
  env?: Record<string, string | undefined>;
  /** Deadline for each call, and for the host to print its port; default 20 000 ms. */
  deadlineMs?: number;
}

/** Per-call options for {@link Host.raw}. */
export interface RawCallOptions {
  /** Overrides the host's per-call deadline. */
  deadlineMs?: number;
}

/** The partial-failure detail (`pulumirpc.ErrorResourceInitFailed`) a Create or Update can carry. */
export interface InitFailure {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/** A config value: plain text, or a secret the driver wraps with the secret signature as the engine does. */
export type ConfigValue = string | { secret: string };

/** What Check answered. */
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: { property: string; reason: string }[];
}

/** What Diff answered; `changes` is the engine's DIFF_UNKNOWN / DIFF_NONE / DIFF_SOME. */
export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** What Read answered; `inputsReturned` tells an absent `inputs` (shown as `{}`) from an empty one. */
export interface ReadResult {
  id: string;
  outputs: Record<string, unknown>;
  inputs: Record<string, unknown>;
  inputsReturned: boolean;
}

/** A running provider host and typed RPCs against it. */
export interface Host {
  /** Configure, as the engine sends it: namespaced keys, secrets wrapped. Unprefixed keys get `<project>:`. */
  configure(config: Record<string, ConfigValue>): Promise<void>;
  /** Check: `olds` are the previous inputs (`{}` on create), `news` the program's inputs with `__provider`. */
  check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
  /** Diff: `olds` are the previous outputs, `news` the checked inputs; `oldInputs` as the engine sends them. */
  diff(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<DiffResult>;
  /** Create from checked inputs (including `__provider`); never a preview, as the host ignores that flag. */
  create(urn: string, inputs: Record<string, unknown>): Promise<{ id: string; outputs: Record<string, unknown> }>;
  /** Read (refresh): `outputs` are the stored outputs, `inputs` the stored inputs. */
  read(id: string, urn: string, outputs: Record<string, unknown>, inputs?: Record<string, unknown>): Promise<ReadResult>;
  /** Update: `olds` are the previous outputs, `news` the checked inputs. */
  update(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<{ outputs: Record<string, unknown> }>;
  /** Delete with the stored outputs (which carry the `__provider` that runs). */
  delete(id: string, urn: string, outputs: Record<string, unknown>, oldInputs?: Record<string, unknown>): Promise<void>;
  /** Sends a hand-built request by method name (e.g. `"configure"`), for what the typed calls cannot express. */
  raw<Res>(rpc: string, request: unknown, options?: RawCallOptions): Promise<Res>;
  /** Everything the host printed on stdout and stderr after its port line. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the process to exit; safe to call twice. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The host's process id. */
  pid: number;
  /** The loopback port the host's gRPC server listens on. */
  port: number;
  /** Settles when the process exits, however it ends (kill(), a crash, or a signal from a test). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A failed RPC: the gRPC code and message, and the partial-failure detail when the host sent one. */
export class HostCallError extends Error {
  /** The RPC that failed, e.g. "Create". */
  readonly rpc: string;
  /** The numeric gRPC status (2 UNKNOWN for provider errors, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE). */
  readonly grpcCode: number;
  /** The status message; for provider errors, the thrown error's message. */
  readonly details: string;
  /** The decoded `ErrorResourceInitFailed`, present only when the provider threw an error with an `id`. */
  readonly initFailure?: InitFailure;

  constructor(rpc: string, where: string, grpcCode: number, details: string, initFailure?: InitFailure, hint = "") {
    const name = statusName(grpcCode);
    super(`${rpc} on the provider host (${where}) failed with gRPC ${name} (${grpcCode}): ${details}${hint}`);
    this.name = "HostCallError";
    this.rpc = rpc;
    this.grpcCode = grpcCode;
    this.details = details;
    if (initFailure) this.initFailure = initFailure;
  }
}

export { urn } from "./urn";

/** Starts the real provider host in `opts.cwd` and connects a gRPC client to the port it prints. */
export async function startHost(opts: HostOptions): Promise<Host> {
  const project = opts.project ?? "truto-access-test";
  const deadlineMs = opts.deadlineMs ?? 20_000;
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_PROJECT: project };
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  // The engine passes its own address as the one argument; the host requires it and never dials it.
  const child = spawn(process.execPath, [HOST_ENTRY, "127.0.0.1:0"], {
    cwd: opts.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveHosts.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      liveHosts.delete(child);
      resolve({ code, signal });
    }),
  );
  const log: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => log.push(chunk));
  let port: number;
  try {
    port = await readPort(child, log, deadlineMs);
  } catch (err) {
    await stop(child, "SIGKILL");
    throw err;
  }
  const pid = child.pid!;
  const where = `pid ${pid}, 127.0.0.1:${port}, cwd ${opts.cwd}`;
  const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  let killed = false;
  const call = <Res>(rpc: string, request: unknown, ms = deadlineMs): Promise<Res> =>
    killed
      ? Promise.reject(new HostCallError(label(rpc), where, grpc.status.UNAVAILABLE, "the host was stopped with kill()"))
      : unary<Res>(client, rpc, request, ms, where);

  return {
    pid,
    port,
    exited,
    output: () => log.join(""),
    raw: (rpc, request, options) => call(rpc, request, options?.deadlineMs),
    async kill(signal = "SIGTERM") {
      killed = true;
      client.close();
      await stop(child, signal);
    },
    async configure(config) {
      const req = new providerPb.ConfigureRequest();
      req.setArgs(toStruct(engineConfigArgs(config, project), "Configure args"));
      // The engine also sends the legacy `variables` map (`<pkg>:config:<key>`, plaintext); the host ignores it.
      const variables = req.getVariablesMap();
      for (const [key, value] of Object.entries(config)) {
        variables.set(`pulumi-nodejs:config:${namespaced(key, project)}`, typeof value === "string" ? value : value.secret);
      }
      req.setAcceptsecrets(true).setAcceptresources(true).setSendsOldInputs(true).setSendsOldInputsToDelete(true);
      await call<ProviderPb.ConfigureResponse>("configure", req);
    },
    async check(resourceUrn, olds, news) {
      const req = new providerPb.CheckRequest();
      setNameAndType(req.setUrn(resourceUrn), resourceUrn);
      req.setOlds(toStruct(olds, "Check olds")).setNews(toStruct(news, "Check news"));
      req.setRandomseed(randomBytes(32));
      const resp = await call<ProviderPb.CheckResponse>("check", req);
      return {
        inputs: fromStruct(resp.getInputs()),
        failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, resourceUrn, olds, news, oldInputs) {
      const req = new providerPb.DiffRequest();
      setNameAndType(req.setId(id).setUrn(resourceUrn), resourceUrn);
      req.setOlds(toStruct(olds, "Diff olds")).setNews(toStruct(news, "Diff news"));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs, "Diff oldInputs"));
      const resp = await call<ProviderPb.DiffResponse>("diff", req);
      return {
        changes: diffChanges(resp.getChanges()),
        replaces: resp.getReplacesList(),
        deleteBeforeReplace: resp.getDeletebeforereplace(),
      };
    },
    async create(resourceUrn, inputs) {
      const req = new providerPb.CreateRequest();
      setNameAndType(req.setUrn(resourceUrn), resourceUrn);
      req.setProperties(toStruct(inputs, "Create properties"));
      const resp = await call<ProviderPb.CreateResponse>("create", req);
      return { id: resp.getId(), outputs: fromStruct(resp.getProperties()) };
    },
    async read(id, resourceUrn, outputs, inputs) {
      const req = new providerPb.ReadRequest();
      setNameAndType(req.setId(id).setUrn(resourceUrn), resourceUrn);
      req.setProperties(toStruct(outputs, "Read properties"));
      if (inputs) req.setInputs(toStruct(inputs, "Read inputs"));
      const resp = await call<ProviderPb.ReadResponse>("read", req);
      return {
        id: resp.getId(),
        outputs: fromStruct(resp.getProperties()),
        inputs: fromStruct(resp.getInputs()),
        inputsReturned: resp.hasInputs(),
      };
    },
    async update(id, resourceUrn, olds, news, oldInputs) {
      const req = new providerPb.UpdateRequest();
      setNameAndType(req.setId(id).setUrn(resourceUrn), resourceUrn);
      req.setOlds(toStruct(olds, "Update olds")).setNews(toStruct(news, "Update news"));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs, "Update oldInputs"));
      const resp = await call<ProviderPb.UpdateResponse>("update", req);
      return { outputs: fromStruct(resp.getProperties()) };
    },
    async delete(id, resourceUrn, outputs, oldInputs) {
      const req = new providerPb.DeleteRequest();
      setNameAndType(req.setId(id).setUrn(resourceUrn), resourceUrn);
      req.setProperties(toStruct(outputs, "Delete properties"));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs, "Delete oldInputs"));
      await call<EmptyPb.Empty>("delete", req);
    },
  };
}

// Hosts still running when this process exits are killed, so a failed test or demo step leaks no process.
const liveHosts = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveHosts) child.kill("SIGKILL");
});

type Callback = (err: GrpcJs.ServiceError | null, res?: unknown) => void;
type UnaryMethod = (req: unknown, md: GrpcJs.Metadata, opts: Partial<GrpcJs.CallOptions>, cb: Callback) => unknown;

/** One unary call with a deadline; failures become HostCallError. */
function unary<Res>(
  client: ProviderGrpcPb.ResourceProviderClient,
  rpc: string,
  request: unknown,
  deadlineMs: number,
  where: string,
): Promise<Res> {
  const method = (client as unknown as Record<string, UnaryMethod | undefined>)[rpc];
  if (typeof method !== "function") {
    return Promise.reject(
      new Error(`provider host driver: "${rpc}" is not a ResourceProvider RPC; use a lower-camel method name such as "configure".`),
    );
  }
  return new Promise<Res>((resolve, reject) => {
    const options = { deadline: Date.now() + deadlineMs };
    method.call(client, request, new grpc.Metadata(), options, (err, res) => {
      if (!err) return resolve(res as Res);
      const initFailure = decodeInitFailure(err.metadata);
      reject(new HostCallError(label(rpc), where, err.code, err.details ?? err.message, initFailure, hintFor(err.code, deadlineMs)));
    });
  });
}

/** "configure" → "Configure", the RPC's name in the proto and in messages. */
function label(rpc: string): string {
  return rpc.charAt(0).toUpperCase() + rpc.slice(1);
}

/** A pointer for the person reading the failure, for the codes that mean "the host", not "the provider". */
function hintFor(code: number, deadlineMs: number): string {
  if (code === grpc.status.DEADLINE_EXCEEDED) {
    return ` (no answer within ${deadlineMs} ms: a provider method never settled, or the request lacked a field the host needs, e.g. Configure without args)`;
  }
  if (code === grpc.status.UNAVAILABLE) return " (the host is not running or not reachable; see host.output())";
  return "";
}

/** Decodes `grpc-status-details-bin` → google.rpc.Status → Any(pulumirpc.ErrorResourceInitFailed). */
function decodeInitFailure(metadata: GrpcJs.Metadata | undefined): InitFailure | undefined {
  for (const raw of metadata?.get("grpc-status-details-bin") ?? []) {
    const status = statusPb.Status.deserializeBinary(raw instanceof Uint8Array ? raw : Buffer.from(raw));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
    }
  }
  return undefined;
}

/** The engine sends config keys namespaced; an unprefixed key belongs to the project. */
function namespaced(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Configure args as the engine marshals stack config: namespaced keys, secrets as signed wrappers. */
export function engineConfigArgs(config: Record<string, ConfigValue>, project: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    args[namespaced(key, project)] = typeof value === "string" ? value : { [SIG_KEY]: SECRET_SIG, value: value.secret };
  }
  return args;
}

/** Sets `name` and `type` from the URN, as the engine does for every resource RPC. */
function setNameAndType(req: { setName(v: string): unknown; setType(v: string): unknown }, resourceUrn: string): void {
  const parts = resourceUrn.split("::");
  req.setName(parts[parts.length - 1] ?? "");
  req.setType(parts[parts.length - 2] ?? "");
}

/** DiffChanges enum → the words tests read. */
function diffChanges(value: number): DiffResult["changes"] {
  if (value === providerPb.DiffResponse.DiffChanges.DIFF_SOME) return "some";
  if (value === providerPb.DiffResponse.DiffChanges.DIFF_NONE) return "none";
  return "unknown";
}

/** A Struct from plain data; `undefined` is refused by name, because the engine never sends it. */
function toStruct(value: Record<string, unknown>, what: string): StructPb.Struct {
  const at = findUndefined(value, "", 0);
  if (at !== undefined) {
    throw new Error(`provider host driver: ${what} has undefined at "${at}"; the engine never sends undefined. Omit the key or send null.`);
  }
  return structPb.Struct.fromJavaScript(value as Record<string, StructPb.JavaScriptValue>);
}

/** Plain data from an optional Struct (`{}` when absent). */
function fromStruct(struct: StructPb.Struct | undefined): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

/** The path of the first `undefined` in a JSON-like value; depth-bounded so a cycle cannot spin. */
function findUndefined(value: unknown, path: string, depth: number): string | undefined {
  if (value === undefined) return path || "(root)";
  if (value === null || typeof value !== "object" || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = findUndefined(child, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The name of a gRPC status code, e.g. 2 → "UNKNOWN". */
function statusName(code: number): string {
  return (grpc.status as unknown as Record<number, string>)[code] ?? "status";
}

/** Reads the port from the host's first stdout line; later stdout goes to `log`. */
function readPort(child: ChildProcess, log: string[], deadlineMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let head = "";
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`provider host (${HOST_ENTRY}) ${why}. Its output so far:\n${log.join("")}`));
    };
    const timer = setTimeout(() => fail(`printed no port within ${deadlineMs} ms`), deadlineMs);
    child.once("error", (err) => fail(`could not start: ${err.message}`));
    child.once("exit", (code, signal) => fail(`exited before printing its port (code ${code}, signal ${signal})`));
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      if (settled) return void log.push(chunk);
      head += chunk;
      const newline = head.indexOf("\n");
      if (newline < 0) return;
      const line = head.slice(0, newline).trim();
      if (head.length > newline + 1) log.push(head.slice(newline + 1));
      if (!/^\d+$/.test(line)) return fail(`printed "${line}" where its port was expected`);
      settled = true;
      clearTimeout(timer);
      resolve(Number(line));
    });
  });
}

/** Signals the process and waits for it to exit; escalates to SIGKILL so the wait is bounded. */
async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(escalate);
}
