/**
 * `npm run bench`: runs the benchmark of issue 6, prints the tables and writes bench/results.json.
 * Flags: `--smoke` runs the small plan; `--out FILE` writes the results elsewhere.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { runBench } from "./bench";
import { FULL_PLAN, SMOKE_PLAN } from "./plan";
import { report } from "./table";

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a, i) => !["--smoke", "--out"].includes(a) && argv[i - 1] !== "--out");
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown argument ${unknown.join(" ")}. Usage: npm run bench [-- --smoke] [-- --out FILE]\n`);
    return 2;
  }
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : path.join(__dirname, "results.json");
  if (!out) {
    process.stderr.write("bench: --out needs a file name.\n");
    return 2;
  }
  const plan = argv.includes("--smoke") ? SMOKE_PLAN : FULL_PLAN;
  const started = Date.now();
  const results = await runBench(plan, { log: (line) => process.stderr.write(`bench: ${line}\n`), keepProfile: true });
  await fs.writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    `${report(results)}\n\nWrote ${path.relative(process.cwd(), out) || out} in ${Math.round((Date.now() - started) / 1000)} s.\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
