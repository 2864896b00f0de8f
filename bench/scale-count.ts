/**
 * `npm run bench:scale -- [--people N] [--strategy coalesced|per-resource] [--cli]`: only the counted part of the
 * scale scenario (issue 14), for a quick look at request counts while changing the read paths. No limits, no
 * latency; prints each operation's requests, floor and requests by endpoint. With `--cli`, the operations run through
 * the real Pulumi CLI on PATH (`pulumi up --parallel 16`, …; scale-cli.ts) instead of the bench's engine model.
 * `npm run bench` is the measurement of record.
 */
import { findExecutable } from "../tools/demo/find-executable";
import { makeConsumerProject } from "../tools/engine/consumer-project";
import { measureProviderText } from "./provider-bytes";
import { countedSequence, type OpCount, type ReadStrategy } from "./scale";
import { cliSequence } from "./scale-cli";
import { SCALE_OPS } from "./scale-floor";
import { scaleOrg } from "./scale-population";
import { startSandboxProcess } from "./sandbox-process";

function option(argv: string[], name: string): string | undefined {
  const k = argv.indexOf(name);
  return k >= 0 ? argv[k + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const people = Number(option(argv, "--people") ?? 1_000);
  const strategy = (option(argv, "--strategy") ?? "coalesced") as ReadStrategy;
  const cli = argv.includes("--cli");
  if (!Number.isInteger(people) || people < 10 || !["coalesced", "per-resource"].includes(strategy)) {
    process.stderr.write("Usage: npm run bench:scale -- [--people N (≥ 10)] [--strategy coalesced|per-resource] [--cli]\n");
    return 2;
  }
  const pulumi = cli ? findExecutable("pulumi") : undefined;
  if (cli && pulumi === undefined) {
    process.stderr.write('bench:scale --cli needs the Pulumi CLI on PATH: run `PATH="$(bash scripts/pulumi-cli.sh):$PATH"` first.\n');
    return 2;
  }
  const org = scaleOrg(people);
  const provider = await measureProviderText();
  const sandbox = await startSandboxProcess();
  const consumer = await makeConsumerProject();
  try {
    const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
    log(`scale: ${people} people, ${org.resources.length} RoleAssignments, concurrency 16, ${strategy} reads${cli ? ", real CLI" : ""}`);
    const counts: Record<string, OpCount> = pulumi
      ? Object.fromEntries(
          Object.entries((await cliSequence({ pulumi, sandbox, org, parallel: 16, strategy, settleMs: 500, log })).ops).map(([op, o]) => [
            op,
            o.count,
          ]),
        )
      : (
          await countedSequence(
            { sandbox, cwd: consumer.dir, providerText: provider.text, concurrency: 16, settleMs: 500, log },
            org,
            strategy,
          )
        ).counts;
    for (const op of SCALE_OPS) {
      const c = counts[op];
      const apps = Object.entries(c.byApp).map(([app, a]) => `${app} ${a.requests}/${a.floor}`);
      process.stdout.write(`${op}: ${c.requests} requests, floor ${c.floor}; ${apps.join(", ")}\n`);
      for (const [endpoint, n] of Object.entries(c.byEndpoint)) process.stdout.write(`  ${endpoint}: ${n}\n`);
    }
    return 0;
  } finally {
    await sandbox.stop();
    await consumer.cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:scale failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
