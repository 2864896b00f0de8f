/**
 * `pulumi-truto-access review [FILE|-] [--privileged a,b,c] [--fail-on-unknown] [--expiring-within DAYS] [--require-expiry-for-privileged] [--full-report PATH]`:
 * prints the Markdown access summary of a `pulumi preview --json` document, for a pull-request comment,
 * shortened to fit GitHub's comment limit, and writes the whole review to PATH.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import {
  COMMENT_BUDGET,
  DEFAULT_EXPIRING_WITHIN_DAYS,
  DEFAULT_PRIVILEGED,
  GITHUB_COMMENT_LIMIT,
  isReviewInputError,
  parsePreviewText,
  renderComment,
  summarizePreview,
} from "../review";

/** The streams a command reads and writes; main.ts passes the process's own. */
export interface CommandIO {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The usage text of `review`. */
export const REVIEW_USAGE = `Usage: pulumi-truto-access review [FILE|-] [--privileged WORD,WORD,...] [--fail-on-unknown]
                                  [--expiring-within DAYS] [--require-expiry-for-privileged]
                                  [--full-report PATH [--full-report-url URL]]

Summarizes the role changes in \`pulumi preview --json\` output as Markdown for a pull-request comment.
A comment over ${COMMENT_BUDGET.toLocaleString("en-US")} bytes (GitHub stops at ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} characters) is shortened: totals, changes
not understood, privileged and mislabelled roles and revocations first, then a summary per app.

  FILE              the JSON printed by \`pulumi preview --json\`; \`-\` or nothing reads stdin
  --privileged LIST comma-separated words added to the defaults (${DEFAULT_PRIVILEGED.join(",")}).
                    A role is flagged as privileged when the app's role table lists its id as
                    privileged, or its id or name contains one of the words (ignoring case); for an
                    id the table knows, the vendor's name counts, not the name the program declares
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

Exit status: 0 on success; 1 on an unexpected failure; 2 on bad usage or input that is not
a preview; 3 with --fail-on-unknown when some change is not understood; 4 with
--require-expiry-for-privileged when a privileged role is granted without expiresAt.`;

/** The exit code of `--fail-on-unknown` when the review could not read every RoleAssignment change. */
export const EXIT_NOT_UNDERSTOOD = 3;

/** The exit code of `--require-expiry-for-privileged` when a privileged role is granted without `expiresAt`. */
export const EXIT_EXPIRY_REQUIRED = 4;

// Previews of large stacks run to tens of megabytes; far beyond that something else is being piped in.
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

interface ReviewArgs {
  readonly source: string;
  readonly privileged?: string[];
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
    if (fromStdin && (io.stdin as { isTTY?: boolean }).isTTY) {
      await write(io.stderr, `review: no input: pass a file, or pipe \`pulumi preview --json\` into it.\n\n${REVIEW_USAGE}\n`);
      return 2;
    }
    const content = fromStdin ? await readStream(io.stdin) : await readInputFile(parsed.source);
    const json = parsePreviewText(content, fromStdin ? "stdin" : parsed.source);
    const review = summarizePreview(json, {
      ...(parsed.privileged ? { privileged: parsed.privileged } : {}),
      ...(parsed.expiringWithinDays !== undefined ? { expiringWithinDays: parsed.expiringWithinDays } : {}),
      requireExpiryForPrivileged: parsed.requireExpiryForPrivileged,
    });
    const comment = renderComment(review, {
      fullReport: { ...(parsed.fullReport ? { path: parsed.fullReport } : {}), ...(parsed.fullReportUrl ? { url: parsed.fullReportUrl } : {}) },
    });
    // Written before the comment, so a comment that names the file never goes out without it.
    if (parsed.fullReport) await writeReport(parsed.fullReport, `${comment.full}\n`);
    await write(io.stdout, `${comment.markdown}\n`);
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
    return 0;
  } catch (err) {
    if (isReviewInputError(err) || err instanceof InputReadError) {
      await write(io.stderr, `review: ${err.message}\n`);
      return 2;
    }
    // A bug here must still not print a stack trace into a CI log that ends up in a PR comment.
    const message = err instanceof Error ? err.message : String(err);
    await write(io.stderr, `review: unexpected failure: ${message}. Please report it with the preview's shape (not its values).\n`);
    return 1;
  }
}

// Options that take a value, with the example their error message gives.
const VALUE_OPTIONS = {
  "--privileged": "a comma-separated list, e.g. --privileged admin,owner",
  "--full-report": "a file path, e.g. --full-report access-review-full.md",
  "--full-report-url": "a URL, e.g. --full-report-url https://github.com/OWNER/REPO/actions/runs/ID",
  "--expiring-within": "a whole number of days, e.g. --expiring-within 14",
} as const;

type ValueOption = keyof typeof VALUE_OPTIONS;

function parseArgs(args: readonly string[]): ReviewArgs {
  let source: string | undefined;
  let failOnUnknown = false;
  let requireExpiryForPrivileged = false;
  let help = false;
  const values: Partial<Record<ValueOption, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const option = (Object.keys(VALUE_OPTIONS) as ValueOption[]).find((o) => arg === o || arg.startsWith(`${o}=`));
    if (arg === "-h" || arg === "--help") help = true;
    else if (arg === "--fail-on-unknown") failOnUnknown = true;
    else if (arg === "--require-expiry-for-privileged") requireExpiryForPrivileged = true;
    else if (option) {
      const value = arg === option ? args[++i] : arg.slice(option.length + 1);
      // An empty --privileged adds no word; an empty path or URL is a mistake.
      if (value === undefined || (value === "" && option !== "--privileged")) throw new Error(`${option} needs ${VALUE_OPTIONS[option]}`);
      values[option] = value;
    } else if (arg.startsWith("-") && arg !== "-") throw new Error(`unknown option ${JSON.stringify(arg)}`);
    else if (source !== undefined) throw new Error(`expected one input file, got ${JSON.stringify(source)} and ${JSON.stringify(arg)}`);
    else source = arg;
  }
  if (values["--full-report-url"] !== undefined && !/^https?:\/\/\S+$/.test(values["--full-report-url"])) {
    throw new Error(`--full-report-url needs an http(s) URL, got ${JSON.stringify(values["--full-report-url"])}`);
  }
  const within = values["--expiring-within"];
  if (within !== undefined && !/^\d{1,5}$/.test(within)) {
    throw new Error(`--expiring-within needs ${VALUE_OPTIONS["--expiring-within"]}, got ${JSON.stringify(within)}`);
  }
  return {
    source: source ?? "-",
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

async function readInputFile(path: string): Promise<string> {
  try {
    // Checked before reading, so a wrong path to a huge file fails fast instead of filling memory.
    if ((await stat(path)).size > MAX_INPUT_BYTES) throw tooLarge(path);
    return await readFile(path, "utf8");
  } catch (err) {
    if (err instanceof InputReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = READ_FAILURES[code ?? ""] ?? (err as Error).message;
    throw new InputReadError(`cannot read ${path}: ${why}. Pass the file written by \`pulumi preview --json > preview.json\`, or \`-\` to read stdin.`);
  }
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
};

const WRITE_FAILURES: Record<string, string> = {
  ENOENT: "its directory does not exist",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
};

function tooLarge(source: string): InputReadError {
  return new InputReadError(`${source} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; expected the JSON printed by \`pulumi preview --json\`.`);
}

async function writeReport(path: string, content: string): Promise<void> {
  try {
    await writeFile(path, content, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = WRITE_FAILURES[code ?? ""] ?? (err as Error).message;
    throw new InputReadError(`cannot write the full report to ${path}: ${why}.`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw tooLarge("stdin");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function write(stream: NodeJS.WritableStream, textToWrite: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(textToWrite, (err) => (err ? reject(err) : resolve()));
  });
}
