/**
 * The scale scenario through the real Pulumi CLI (issue 14: "and through the real CLI with `--parallel 16` where it
 * is on PATH"): the generated org as one program, `pulumi up`, `pulumi refresh`, `pulumi up` with 10% of the roles
 * changed and `pulumi destroy`, each with `--parallel`, against the sandbox process. Each command's requests are read
 * from the sandbox's log and counted against the same floor as the provider-host run (scale.ts), so the two show
 * whether the bench's engine model and the real engine make the provider do the same work.
 *
 * The stack lives in a file backend in a temp folder, with its own PULUMI_HOME. Checkpoints are written at the end
 * of each command only (PULUMI_SKIP_CHECKPOINTS): the file backend otherwise rewrites the whole state after every
 * step, which at 3,000 resources is the cost being measured instead of ours. Nothing else of the engine changes.
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isolatedPulumiEnv, pulumiRunner } from "../tools/demo/cli-walk";
import { makeConsumerProject } from "../tools/engine/consumer-project";
import { configureLimits, countOp, type OpCount, type ReadStrategy } from "./scale";
import { SCALE_OPS, type ScaleOp } from "./scale-floor";
import type { ScaleOrg, ScaleResource } from "./scale-population";
import type { SandboxProcess } from "./sandbox-process";

/** One command of the sequence: its requests counted, and how long the CLI took. */
export interface CliOp {
  count: OpCount;
  wallMs: number;
}

/** The sequence through the CLI. */
export interface CliSequence {
  strategy: ReadStrategy;
  parallel: number;
  /** The CLI's `pulumi version`. */
  version: string;
  ops: Record<ScaleOp, CliOp>;
}

// The program: the RoleAssignments of resources.json, rewritten between commands (the update's file has the 10%
// changed). Plain JavaScript, so the language host starts no TypeScript compiler.
const PROGRAM = `const { RoleAssignment } = require("pulumi-truto-access");
const declared = require("./resources.json");
for (const r of declared) new RoleAssignment(r.name, r.inputs);
`;

const PROJECT = `name: truto-scale
description: The bench's scale org (issue 14), one RoleAssignment per person, app and scope.
runtime: nodejs
main: index.js
`;

// A command of 3,000 resources through a busy host can take minutes; none should take this long.
const COMMAND_TIMEOUT_MS = 20 * 60_000;

async function writeDeclared(dir: string, resources: readonly ScaleResource[]): Promise<void> {
  const declared = resources.map((r) => ({ name: r.name, inputs: r.inputs }));
  await fs.writeFile(path.join(dir, "resources.json"), JSON.stringify(declared));
}

/**
 * Runs the four commands with `strategy` from the org's starting state, with no limits and no latency (as the
 * counted provider-host run), `parallel` steps at a time.
 */
export async function cliSequence(opts: {
  pulumi: string;
  sandbox: SandboxProcess;
  org: ScaleOrg;
  parallel: number;
  strategy: ReadStrategy;
  settleMs: number;
  log?: (line: string) => void;
}): Promise<CliSequence> {
  const { sandbox, org } = opts;
  await configureLimits(sandbox, 0, false, false);
  await sandbox.putState(org.state);
  const consumer = await makeConsumerProject();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "truto-scale-cli-"));
  try {
    await fs.writeFile(path.join(consumer.dir, "Pulumi.yaml"), PROJECT);
    await fs.writeFile(path.join(consumer.dir, "index.js"), PROGRAM);
    const pulumi = pulumiRunner(
      opts.pulumi,
      consumer.dir,
      {
        ...(await isolatedPulumiEnv(work)),
        PULUMI_SKIP_CHECKPOINTS: "true",
        TRUTO_BASE_URL: sandbox.url,
        TRUTO_API_TOKEN: sandbox.token,
        TRUTO_RATE_LIMIT: "off",
        TRUTO_TOKEN_RATE_LIMIT: "off",
        TRUTO_SETTLE_MS: String(opts.settleMs),
        TRUTO_READ_STRATEGY: opts.strategy,
        TRUTO_READ_CACHE_MS: undefined,
      },
      COMMAND_TIMEOUT_MS,
    );
    const version = (await pulumi.run(["version"])).trim();
    const stack = ["--stack", "scale"];
    await pulumi.run(["stack", "init", "scale"]);
    const parallel = ["--parallel", String(opts.parallel)];
    const commands: Record<ScaleOp, string[]> = {
      up: ["up", "--yes", "--skip-preview", ...parallel, ...stack],
      refresh: ["refresh", "--yes", "--skip-preview", ...parallel, ...stack],
      update: ["up", "--yes", "--skip-preview", ...parallel, ...stack],
      destroy: ["destroy", "--yes", "--skip-preview", ...parallel, ...stack],
    };
    const ops = {} as Record<ScaleOp, CliOp>;
    for (const op of SCALE_OPS) {
      await writeDeclared(consumer.dir, op === "update" ? org.changed : org.resources);
      await sandbox.clearRequests();
      const started = performance.now();
      await pulumi.run(commands[op]);
      const wallMs = performance.now() - started;
      const count = countOp(org, op, await sandbox.requests(), null);
      ops[op] = { count, wallMs };
      opts.log?.(
        `scale CLI ${opts.strategy} ${op}: ${count.requests} requests + ${count.lookups} lookups, floor ${count.floor} ` +
          `(requests ÷ floor: Slack ${count.requestsPerFloor.slack.toFixed(2)}, others ${count.requestsPerFloor.others.toFixed(2)}), ${(wallMs / 1000).toFixed(1)} s`,
      );
    }
    return { strategy: opts.strategy, parallel: opts.parallel, version, ops };
  } finally {
    await consumer.cleanup();
    await fs.rm(work, { recursive: true, force: true });
  }
}
