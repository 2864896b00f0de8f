/**
 * `pulumi-truto-access review [FILE|-] [options]` (REVIEW_USAGE lists them): prints the Markdown access
 * summary of a `pulumi preview --json` document for a pull-request comment, marked so a workflow keeps
 * one comment per stack, shortened to fit GitHub's comment limit (the whole review to --full-report), or
 * the review as JSON; a failed preview gets a comment quoting its errors, and exit 5.
 */
import { writeFile } from "node:fs/promises";
import { InputUnreadable, isTerminal, readSource, type InputKind } from "./read-input";
import {
  COMMENT_BUDGET,
  DEFAULT_EXPIRING_WITHIN_DAYS,
  DEFAULT_PRIVILEGED,
  GITHUB_COMMENT_LIMIT,
  isReviewInputError,
  renderComment,
  renderFailure,
  reviewJson,
  reviewPreviewText,
  type AccessReview,
  type PreviewOutcome,
  type StackRef,
} from "../review";

/** The streams a command reads and writes; main.ts passes the process's own. */
export interface CommandIO {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Where the API tokens to redact from quoted errors are read; defaults to the process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The usage text of `review`. */
export const REVIEW_USAGE = `Usage: pulumi-truto-access review [FILE|-] [--format markdown|json] [--project NAME] [--stack NAME]
                                  [--privileged WORD,... | --privileged-only WORD,...] [--fail-on-privileged]
                                  [--fail-on-unknown] [--expiring-within DAYS] [--require-expiry-for-privileged]
                                  [--full-report PATH [--full-report-url URL]]

Summarizes the role changes in \`pulumi preview --json\` output as Markdown for a pull-request comment.
A comment over ${COMMENT_BUDGET.toLocaleString("en-US")} bytes (GitHub stops at ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} characters) is shortened: totals, changes
not understood, privileged and mislabelled roles and revocations first, then a summary per app.

The comment's first line is a hidden marker, ${"`"}<!-- pulumi-truto-access:review PROJECT/STACK -->${"`"}, so a
workflow updates one comment per stack; the title names the stack too. A failed preview (nothing
printed, an error printed instead of JSON, error diagnostics, no steps) gets a "preview failed" comment
with the marker and the errors (secrets and token-like values redacted), and exit 5.

  FILE              the JSON printed by \`pulumi preview --json\`; \`-\` or nothing reads stdin
  --format FORMAT   markdown (default): the comment; json: the review as one JSON document for tools
                    (version, status, marker, project, stack, totals, sections, privilegedGrants,
                    replacements, moves, expiries, errors, failure)
  --project NAME, --stack NAME
                    the project and stack for the marker and title, in place of those in the
                    preview's URNs; give both, so a preview that printed no JSON still gets the
                    stack's marker
  --privileged LIST comma-separated words added to the defaults (${DEFAULT_PRIVILEGED.join(",")}).
                    A role is flagged as privileged when the app's role table lists its id as
                    privileged, or its id or name contains one of the words (ignoring case); for an
                    id the table knows, the vendor's name counts, not the name the program declares
  --privileged-only LIST
                    the words in place of the defaults (the role table still flags what it knows)
  --fail-on-privileged
                    exit 6 when a privileged role is granted (the review is still printed)
  --fail-on-unknown exit 3 when a RoleAssignment change is not understood: a step op this
                    tool does not know, steps that do not make one change, or inputs not in the
                    shape the resource writes (the review, which lists them first, is still printed)
  --expiring-within DAYS
                    show "expires in N days" on roles whose expiresAt is at most DAYS days away
                    (default ${DEFAULT_EXPIRING_WITHIN_DAYS}); expired roles always show "expired: revoked at the next \`pulumi up\`"
  --require-expiry-for-privileged
                    exit 4 when a privileged role is granted without expiresAt (the review,
                    which flags each one, is still printed)
  --full-report PATH
                    also write the whole review to PATH (shortened or not); a shortened
                    comment names PATH
  --full-report-url URL
                    where readers can download the whole review (e.g. the workflow run that
                    keeps PATH as an artifact); a shortened comment links to it
  -h, --help        show this help

Example:
  pulumi preview --json > preview.json && pulumi-truto-access review preview.json

Exit status:
  0  the review is printed
  1  unexpected failure
  2  bad usage, JSON that is not a preview digest (another Pulumi format), a file that cannot be
     read or a full report that cannot be written (nothing is printed on stdout)
  3  --fail-on-unknown: some RoleAssignment change is not understood
  4  --require-expiry-for-privileged: a privileged role is granted without expiresAt
  5  the preview failed: the "preview failed" comment is printed
  6  --fail-on-privileged: a privileged role is granted
With 3, 4 and 6 the review is printed; when several apply, the lowest is returned.`;

/** The exit code of `--fail-on-unknown` when the review could not read every RoleAssignment change. */
export const EXIT_NOT_UNDERSTOOD = 3;

/** The exit code of `--require-expiry-for-privileged` when a privileged role is granted without `expiresAt`. */
export const EXIT_EXPIRY_REQUIRED = 4;

/** The exit code when the preview failed (or printed nothing): the comment quotes its errors instead of a review. */
export const EXIT_PREVIEW_FAILED = 5;

/** The exit code of `--fail-on-privileged` when a privileged role is granted. */
export const EXIT_PRIVILEGED_GRANTED = 6;

// Tokens a CI job may hold; an error that echoes one is redacted by value, whatever its shape.
const SECRET_ENV = ["TRUTO_API_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "GITHUB_TOKEN", "GH_TOKEN"];

interface ReviewArgs {
  readonly source: string;
  readonly format: "markdown" | "json";
  readonly target: StackRef;
  readonly privileged?: string[];
  readonly privilegedOnly?: string[];
  readonly failOnPrivileged: boolean;
  readonly failOnUnknown: boolean;
  readonly expiringWithinDays?: number;
  readonly requireExpiryForPrivileged: boolean;
  readonly fullReport?: string;
  readonly fullReportUrl?: string;
  readonly help: boolean;
}

/** Runs `review` with `args` (after the subcommand name); resolves to the exit code. */
export async function reviewCommand(args: string[], io: CommandIO): Promise<number> {
  let parsed: ReviewArgs;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    await write(io.stderr, `review: ${(err as Error).message}\n\n${REVIEW_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    await write(io.stdout, `${REVIEW_USAGE}\n`);
    return 0;
  }
  try {
    const fromStdin = parsed.source === "-";
    if (fromStdin && isTerminal(io.stdin)) {
      await write(io.stderr, `review: no input: pass a file, or pipe \`pulumi preview --json\` into it.\n\n${REVIEW_USAGE}\n`);
      return 2;
    }
    const content = await readSource(parsed.source, io.stdin, PREVIEW_INPUT);
    const env = io.env ?? process.env;
    const outcome = reviewPreviewText(content, fromStdin ? "stdin" : parsed.source, {
      target: parsed.target,
      secrets: SECRET_ENV.map((name) => env[name]),
      ...(parsed.privileged ? { privileged: parsed.privileged } : {}),
      ...(parsed.privilegedOnly ? { privilegedOnly: parsed.privilegedOnly } : {}),
      ...(parsed.expiringWithinDays !== undefined ? { expiringWithinDays: parsed.expiringWithinDays } : {}),
      requireExpiryForPrivileged: parsed.requireExpiryForPrivileged,
    });
    await printOutcome(outcome, parsed, io);
    if (outcome.kind === "failed") {
      const f = outcome.failure;
      const what =
        f.reason === "errors"
          ? `reported ${f.errorCount === 1 ? "1 error" : `${f.errorCount} errors`}`
          : f.reason === "empty"
            ? "printed nothing"
            : f.reason === "not-json"
              ? "printed no JSON"
              : "planned no step";
      await write(io.stderr, `review: the preview ${what}; printed the "preview failed" comment instead of a review.\n`);
      return EXIT_PREVIEW_FAILED;
    }
    return await policyExit(outcome.review, parsed, io);
  } catch (err) {
    if (isReviewInputError(err) || err instanceof InputReadError || err instanceof InputUnreadable) {
      await write(io.stderr, `review: ${err.message}\n`);
      return 2;
    }
    // A bug here must still not print a stack trace into a CI log that ends up in a PR comment.
    const message = err instanceof Error ? err.message : String(err);
    await write(io.stderr, `review: unexpected failure: ${message}. Please report it with the preview's shape (not its values).\n`);
    return 1;
  }
}

/** Prints the comment (or JSON) of `outcome`, and writes the full report first when asked. */
async function printOutcome(outcome: PreviewOutcome, parsed: ReviewArgs, io: CommandIO): Promise<void> {
  const fullReport = {
    ...(parsed.fullReport ? { path: parsed.fullReport } : {}),
    ...(parsed.fullReportUrl ? { url: parsed.fullReportUrl } : {}),
  };
  const comment =
    outcome.kind === "failed"
      ? { markdown: renderFailure(outcome.failure), full: renderFailure(outcome.failure) }
      : renderComment(outcome.review, { fullReport, target: outcome.target });
  // Written before the comment, so a comment that names the file never goes out without it.
  if (parsed.fullReport) await writeReport(parsed.fullReport, `${comment.full}\n`);
  await write(io.stdout, parsed.format === "json" ? `${JSON.stringify(reviewJson(outcome), null, 2)}\n` : `${comment.markdown}\n`);
}

/** The exit code the policy flags ask for, after the review is printed: the lowest that applies. */
async function policyExit(review: AccessReview, parsed: ReviewArgs, io: CommandIO): Promise<number> {
  const unread = review.totals.notUnderstood + review.totals.unreadable;
  if (parsed.failOnUnknown && !review.understood) {
    const what = unread === 1 ? "1 RoleAssignment change is" : `${unread} RoleAssignment changes are`;
    await write(io.stderr, `review: ${what} not understood (listed first in the review); failing because of --fail-on-unknown.\n`);
    return EXIT_NOT_UNDERSTOOD;
  }
  if (parsed.requireExpiryForPrivileged && review.totals.privilegedWithoutExpiry > 0) {
    const n = review.totals.privilegedWithoutExpiry;
    await write(
      io.stderr,
      `review: ${n === 1 ? "1 privileged role is" : `${n} privileged roles are`} granted without expiresAt (flagged in the review); give each an expiresAt, or the resource one, e.g. "2026-12-08T17:00:00Z". Failing because of --require-expiry-for-privileged.\n`,
    );
    return EXIT_EXPIRY_REQUIRED;
  }
  if (parsed.failOnPrivileged && review.totals.privilegedGranted > 0) {
    const n = review.totals.privilegedGranted;
    await write(
      io.stderr,
      `review: ${n === 1 ? "1 privileged role is" : `${n} privileged roles are`} granted (flagged in the review); failing because of --fail-on-privileged.\n`,
    );
    return EXIT_PRIVILEGED_GRANTED;
  }
  return 0;
}

// Options that take a value, with the example their error message gives.
const VALUE_OPTIONS = {
  "--privileged": "a comma-separated list, e.g. --privileged admin,owner",
  "--privileged-only": "a comma-separated list, e.g. --privileged-only admin,owner,root",
  "--format": "markdown or json, e.g. --format json",
  "--project": "a Pulumi project name, e.g. --project access",
  "--stack": "a Pulumi stack name, e.g. --stack dev",
  "--full-report": "a file path, e.g. --full-report access-review-full.md",
  "--full-report-url": "a URL, e.g. --full-report-url https://github.com/OWNER/REPO/actions/runs/ID",
  "--expiring-within": "a whole number of days, e.g. --expiring-within 14",
} as const;

type ValueOption = keyof typeof VALUE_OPTIONS;

function parseArgs(args: readonly string[]): ReviewArgs {
  let source: string | undefined;
  let failOnUnknown = false;
  let requireExpiryForPrivileged = false;
  let failOnPrivileged = false;
  let help = false;
  const values: Partial<Record<ValueOption, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const option = (Object.keys(VALUE_OPTIONS) as ValueOption[]).find((o) => arg === o || arg.startsWith(`${o}=`));
    if (arg === "-h" || arg === "--help") help = true;
    else if (arg === "--fail-on-unknown") failOnUnknown = true;
    else if (arg === "--require-expiry-for-privileged") requireExpiryForPrivileged = true;
    else if (arg === "--fail-on-privileged") failOnPrivileged = true;
    else if (option) {
      const value = arg === option ? args[++i] : arg.slice(option.length + 1);
      // An empty --privileged adds no word, an empty --privileged-only leaves only the role table; an empty path or URL is a mistake.
      if (value === undefined || (value === "" && !option.startsWith("--privileged")))
        throw new Error(`${option} needs ${VALUE_OPTIONS[option]}`);
      values[option] = value;
    } else if (arg.startsWith("-") && arg !== "-") throw new Error(`unknown option ${JSON.stringify(arg)}`);
    else if (source !== undefined) throw new Error(`expected one input file, got ${JSON.stringify(source)} and ${JSON.stringify(arg)}`);
    else source = arg;
  }
  if (values["--full-report-url"] !== undefined && !/^https?:\/\/\S+$/.test(values["--full-report-url"])) {
    throw new Error(`--full-report-url needs an http(s) URL, got ${JSON.stringify(values["--full-report-url"])}`);
  }
  const format = values["--format"] ?? "markdown";
  if (format !== "markdown" && format !== "json")
    throw new Error(`--format needs ${VALUE_OPTIONS["--format"]}, got ${JSON.stringify(format)}`);
  const target: { project?: string; stack?: string } = {};
  for (const [option, key] of [
    ["--project", "project"],
    ["--stack", "stack"],
  ] as const) {
    const name = values[option];
    if (name === undefined) continue;
    // Pulumi's own rule for both names; it also keeps the marker a plain HTML comment.
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name))
      throw new Error(`${option} needs ${VALUE_OPTIONS[option]} (letters, digits, _ . -), got ${JSON.stringify(name)}`);
    target[key] = name;
  }
  const within = values["--expiring-within"];
  if (within !== undefined && !/^\d{1,5}$/.test(within)) {
    throw new Error(`--expiring-within needs ${VALUE_OPTIONS["--expiring-within"]}, got ${JSON.stringify(within)}`);
  }
  return {
    source: source ?? "-",
    format,
    target,
    failOnPrivileged,
    ...(values["--privileged-only"] !== undefined ? { privilegedOnly: values["--privileged-only"].split(",") } : {}),
    ...(within !== undefined ? { expiringWithinDays: Number(within) } : {}),
    requireExpiryForPrivileged,
    ...(values["--privileged"] !== undefined ? { privileged: values["--privileged"].split(",") } : {}),
    ...(values["--full-report"] !== undefined ? { fullReport: values["--full-report"] } : {}),
    ...(values["--full-report-url"] !== undefined ? { fullReportUrl: values["--full-report-url"] } : {}),
    failOnUnknown,
    help,
  };
}

/** A file or stream that could not be read, or the report file that could not be written. */
class InputReadError extends Error {
  override readonly name = "InputReadError";
}

const PREVIEW_INPUT: InputKind = {
  what: "the JSON printed by `pulumi preview --json`",
  file: "the file written by `pulumi preview --json > preview.json`",
};

const WRITE_FAILURES: Record<string, string> = {
  ENOENT: "its directory does not exist",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
};

async function writeReport(path: string, content: string): Promise<void> {
  try {
    await writeFile(path, content, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = WRITE_FAILURES[code ?? ""] ?? (err as Error).message;
    throw new InputReadError(`cannot write the full report to ${path}: ${why}.`);
  }
}

function write(stream: NodeJS.WritableStream, textToWrite: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(textToWrite, (err) => (err ? reject(err) : resolve()));
  });
}
