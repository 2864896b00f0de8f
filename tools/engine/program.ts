/**
 * Runs a Pulumi program in this process under `pulumi.runtime.setMocks` and returns what it registered:
 * each custom resource's type, name, URN and inputs (with the `__provider` text a real run would send),
 * and the stack outputs. Tests assert on it; the demo feeds it to the provider host as the engine would.
 */
import Module = require("node:module");
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { resetConflictRegistry } from "../../src/resource";
import { PACKAGE_NAME } from "./package-root";
import { readProjectFile } from "./project-file";
import { urn } from "./urn";
import { ensureTypeScriptLoader } from "./typescript-loader";

type Props = Record<string, unknown>;

/** A custom resource as the program registered it. */
export interface RegisteredResource {
  type: string;
  name: string;
  urn: string;
  /** The inputs the engine would receive, `__provider` included; no `undefined` anywhere. */
  inputs: Props;
}

/** What one run of a program produced. */
export interface ProgramRun {
  project: string;
  stack: string;
  /** Sorted by name, so two runs line up and output reads the same every time. */
  resources: RegisteredResource[];
  /** The program's exports, resolved. */
  outputs: Props;
}

/** How to run a program. */
export interface RunProgramOptions {
  /** The directory holding the project's Pulumi.yaml. */
  projectDir: string;
  /** Stack name; default "dev". */
  stack?: string;
  /** Stack config; a key without ":" belongs to the project, as in `pulumi config set`. */
  config?: Record<string, string>;
  /** The state the mock engine returns for a resource; default: its inputs. */
  mockState?: (resource: { type: string; name: string; inputs: Props }) => Props;
}

/** Runs the project's program once, fresh (re-required, conflict registry reset), and collects what it registered. */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const project = readProjectFile(options.projectDir);
  const stack = options.stack ?? "dev";
  const resources: RegisteredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = withoutUndefined(args.inputs) as Props;
        if (args.custom !== false)
          resources.push({ type: args.type, name: args.name, urn: urn(args.name, args.type, stack, project.name), inputs });
        return { id: `${args.name}-id`, state: options.mockState?.({ type: args.type, name: args.name, inputs }) ?? inputs };
      },
      call: () => ({}),
    },
    project.name,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(namespacedConfig(options.config ?? {}, project.name));
  resetConflictRegistry();
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => void failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => loadFresh(project.main));
    // disconnect() waits for every registration still in flight; the next setMocks reconnects.
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length > 0) throw failures[0];
    resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { project: project.name, stack, resources, outputs: withoutUndefined(outputs ?? {}) as Props };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`The Pulumi program ${path.relative(process.cwd(), project.main) || project.main} failed under mocks: ${message}`, {
      cause: error,
    });
  } finally {
    process.off("unhandledRejection", onRejection);
    // Later programs (and tests) in this process start from empty config, not this run's.
    pulumi.runtime.setAllConfig({});
  }
}

function namespacedConfig(config: Record<string, string>, project: string): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value]));
}

type Resolver = (request: string, parent: unknown, ...rest: unknown[]) => string;

/**
 * Requires the program anew (it and everything beside it leave the module cache first), with
 * `pulumi-truto-access` resolved to this very copy of the package: the registry reset above must be
 * the one the program's resources use (src under ts-node, dist from the build).
 */
function loadFresh(main: string): Props {
  ensureTypeScriptLoader();
  const programDir = path.dirname(main);
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(programDir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
  const loader = Module as unknown as { _resolveFilename: Resolver };
  const original = loader._resolveFilename;
  const self = require.resolve("../../src/index");
  loader._resolveFilename = function (this: unknown, request, ...rest) {
    return request === PACKAGE_NAME ? self : original.call(this, request, ...rest);
  };
  try {
    return require(main) as Props;
  } finally {
    loader._resolveFilename = original;
  }
}

/** A copy without `undefined` values at any depth; the engine never sends them and the wire refuses them. */
function withoutUndefined(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v, depth + 1));
  const out: Props = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = withoutUndefined(v, depth + 1);
  return out;
}
