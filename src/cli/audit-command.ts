/**
 * `pulumi-truto-access audit [FILE|-] [--account ID ...] [--format markdown|json] [--fail-on out-of-band|drift|any]`:
 * compares the access Truto shows now with what a stack manages (`pulumi stack export`).
 */
import { auditStack, parseStackExportText, renderAuditJson, renderAuditMarkdown, StackExportError } from "../audit";
import {
  EXIT,
  InputError,
  liveClient,
  parseArgs,
  progressTo,
  readInput,
  reportFailure,
  UsageError,
  write,
  type CommandIO,
} from "./live-command";

/** The usage text of `audit`. */
export const AUDIT_USAGE = `Usage: pulumi-truto-access audit [FILE|-] [--account ID ...] [--format markdown|json]
                                 [--fail-on out-of-band|drift|any] [--privileged WORD,WORD,...]

Compares live access, read through Truto, with the RoleAssignments of a stack:
  out of band   roles people hold that no RoleAssignment declares (privileged ones first)
  drift         roles a RoleAssignment declares that are no longer held

  FILE              the JSON printed by \`pulumi stack export\`; \`-\` or nothing reads stdin
  --account ID      also audit this integrated account (repeatable); the accounts the stack's
                    RoleAssignments name are always audited
  --format markdown (default) a report for an issue or a comment
  --format json     the same findings as JSON
  --fail-on WHAT    exit 3 when there is an out-of-band role (out-of-band), a drifted role
                    (drift), or either (any); the report is still printed
  --privileged LIST comma-separated words added to the defaults that mark a role as privileged
                    (as in \`review\`: the app's role table decides first)
  -h, --help        show this help

Settings come from the environment, as the provider's do: TRUTO_API_TOKEN (required), TRUTO_BASE_URL,
TRUTO_RATE_LIMIT, TRUTO_TIMEOUT_MS. Progress goes to stderr.

Example:
  pulumi stack export | pulumi-truto-access audit --fail-on out-of-band > audit.md

Exit status: 0 on success; 1 when Truto could not be read or on an unexpected failure; 2 on bad
usage, input that is not a stack export, a missing token, or nothing to audit; 3 with --fail-on when
such a finding exists.`;

const FAIL_ON = ["out-of-band", "drift", "any"] as const;

const OPTIONS = {
  "--account": { repeat: true, example: "an integrated account id, e.g. --account 5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01" },
  "--format": { example: "markdown or json", choices: ["markdown", "json"] },
  "--fail-on": { example: "out-of-band, drift or any", choices: FAIL_ON },
  "--privileged": { example: "a comma-separated list, e.g. --privileged admin,owner" },
} as const;

/** Runs `audit` with `args` (after the subcommand name); resolves to the exit code. */
export async function auditCommand(args: string[], io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const parsed = parseArgs(args, OPTIONS, ["-h", "--help"]);
    if (parsed.flags.size > 0) {
      await write(io.stdout, `${AUDIT_USAGE}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 1)
      throw new UsageError(`expected one input file, got ${parsed.positionals.map((p) => JSON.stringify(p)).join(" and ")}`);
    const source = parsed.positionals[0] ?? "-";
    const failOn = parsed.values["--fail-on"]?.[0] as (typeof FAIL_ON)[number] | undefined;
    const privileged = parsed.values["--privileged"]?.[0]?.split(",");
    const content = await readInput(source, io, {
      what: "the JSON printed by `pulumi stack export`",
      file: "the file written by `pulumi stack export > stack.json`",
    });
    const json = parseStackExportText(content, source === "-" ? "stdin" : source);
    const client = liveClient(env);
    const report = await auditStack(client, json, source === "-" ? "stdin" : source, parsed.values["--account"] ?? [], {
      progress: progressTo(io, "audit"),
      ...(privileged ? { privileged } : {}),
    });
    if (report.accounts.length === 0)
      throw new InputError("nothing to audit: the stack export has no RoleAssignment and no --account was given");
    await write(io.stdout, parsed.values["--format"]?.[0] === "json" ? renderAuditJson(report) : `${renderAuditMarkdown(report)}\n`);
    const failing = {
      "out-of-band": report.outOfBand.length,
      drift: report.drift.length,
      any: report.outOfBand.length + report.drift.length,
    };
    if (failOn && failing[failOn] > 0) {
      await write(io.stderr, `audit: ${failing[failOn]} finding(s) of kind ${failOn}; failing because of --fail-on ${failOn}.\n`);
      return EXIT.failOn;
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof StackExportError) return reportFailure(io, "audit", AUDIT_USAGE, new InputError(err.message));
    return reportFailure(io, "audit", AUDIT_USAGE, err);
  }
}
