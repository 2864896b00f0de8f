/**
 * `pulumi-truto-access export --account ID [--account ID ...] [--out DIR] [--format ts|json]`: writes who
 * holds which role in each account as a Pulumi program's data, so a stack can adopt existing access.
 */
import { mkdir } from "node:fs/promises";
import { exportAccess } from "../export";
import { EXIT, liveClient, parseArgs, progressTo, reportFailure, UsageError, write, type CommandIO } from "./live-command";

/** The usage text of `export`. */
export const EXPORT_USAGE = `Usage: pulumi-truto-access export --account ID [--account ID ...] [--out DIR] [--format ts|json]

Reads every user and role of each Truto integrated account and writes the access map: who holds which
roles, per app and Slack workspace or Elastic organization (account-wide elsewhere), people matched
across apps by email.

  --account ID      an integrated account to read (repeat for several)
  --out DIR         where to write (default: the current directory; created if missing)
  --format ts       (default) access.ts: each account's roles as typed constants (a mistyped role
                    fails tsc), the people, the team map and assignments(); plus index.ts, a program
                    with one RoleAssignment per person, app and scope, if there is no index.ts yet
  --format json     access.json: the same data as JSON
  -h, --help        show this help

Settings come from the environment, as the provider's do: TRUTO_API_TOKEN (required), TRUTO_BASE_URL,
TRUTO_RATE_LIMIT, TRUTO_TIMEOUT_MS. Progress goes to stderr. Files are replaced atomically, so an
interrupted export leaves the previous one and running it again rewrites it.

Example:
  pulumi-truto-access export --account "$SLACK_ACCOUNT" --account "$JUMPCLOUD_ACCOUNT" --out access
  cd access && pulumi up        # adopts the roles people hold; the next preview shows no change

Exit status: 0 on success; 1 when Truto could not be read or on an unexpected failure; 2 on bad
usage, a missing token, or an account whose integration this package does not support.`;

const OPTIONS = {
  "--account": { repeat: true, example: "an integrated account id, e.g. --account 5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01" },
  "--out": { example: "a directory, e.g. --out access" },
  "--format": { example: "ts or json", choices: ["ts", "json"] },
} as const;

/** Runs `export` with `args` (after the subcommand name); resolves to the exit code. */
export async function exportCommand(args: string[], io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const parsed = parseArgs(args, OPTIONS, ["-h", "--help"]);
    if (parsed.flags.size > 0) {
      await write(io.stdout, `${EXPORT_USAGE}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
    const accounts = parsed.values["--account"] ?? [];
    if (accounts.length === 0) throw new UsageError(`name at least one account: ${OPTIONS["--account"].example}`);
    const outDir = parsed.values["--out"]?.[0] ?? ".";
    const format = (parsed.values["--format"]?.[0] ?? "ts") as "ts" | "json";
    const client = liveClient(env);
    await mkdir(outDir, { recursive: true });
    const result = await exportAccess(client, accounts, { outDir, format, progress: progressTo(io, "export") });
    for (const line of result.map.skipped) await write(io.stderr, `export: ${line}\n`);
    const held = Object.values(result.map.team).flatMap((byApp) =>
      Object.values(byApp).flatMap((byScope) => Object.values(byScope).flat()),
    ).length;
    const kept = result.kept.length ? `; kept your ${result.kept.join(", ")}` : "";
    await write(
      io.stdout,
      `Exported ${result.map.apps.length} accounts, ${result.map.people.length} people, ${held} held roles: wrote ${result.written.join(", ")} in ${outDir}${kept}.\n`,
    );
    return EXIT.ok;
  } catch (err) {
    return reportFailure(io, "export", EXPORT_USAGE, err);
  }
}
