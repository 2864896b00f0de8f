/**
 * What `export` and `audit` share as commands that read Truto live: option parsing, the Truto client from
 * the provider's own settings (TRUTO_API_TOKEN, TRUTO_BASE_URL, TRUTO_RATE_LIMIT, TRUTO_TIMEOUT_MS), progress
 * on stderr, and turning a failure into a message for people and an exit code.
 */
import { clientFor, resolveSettings } from "../provider/config";
import { LiveAccessError } from "../export/live-access";
import type { TrutoClient } from "../truto/client";
import { isTrutoError, TrutoErrorCodes } from "../truto/errors";
import { InputUnreadable, isTerminal, readSource, type InputKind } from "./read-input";
import type { CommandIO } from "./review-command";

export type { CommandIO };

/** Exit codes of the live commands (the same meanings as `review`'s). */
export const EXIT = { ok: 0, failure: 1, usage: 2, failOn: 3 } as const;

/** Bad usage or input: exit 2 with the message and the usage text. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Input that cannot be used (a file that cannot be read, JSON that is not what was asked for): exit 2 with the message. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** An option that takes a value: whether it may repeat, and the example its error gives. */
export interface ValueOption {
  readonly repeat?: boolean;
  readonly example: string;
  readonly choices?: readonly string[];
}

/** Parsed arguments: values per option (repeatable ones collect), flags set, positionals. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** Parses `--name value`, `--name=value`, flags and positionals; throws UsageError naming what is wrong. */
export function parseArgs(args: readonly string[], options: Readonly<Record<string, ValueOption>>, flags: readonly string[]): ParsedArgs {
  const values: Record<string, string[]> = {};
  const set = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const name = Object.keys(options).find((o) => arg === o || arg.startsWith(`${o}=`));
    if (name) {
      const spec = options[name]!;
      const value = arg === name ? args[++i] : arg.slice(name.length + 1);
      if (value === undefined || value.trim() === "") throw new UsageError(`${name} needs ${spec.example}`);
      if (spec.choices && !spec.choices.includes(value))
        throw new UsageError(`${name} must be one of ${spec.choices.join(", ")}, not ${JSON.stringify(value)}`);
      if (!spec.repeat && values[name]) throw new UsageError(`${name} is given twice`);
      (values[name] ??= []).push(value.trim());
    } else if (flags.includes(arg)) set.add(arg);
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    else positionals.push(arg);
  }
  return { values, flags: set, positionals };
}

/** A client from the environment, resolved as the provider resolves it (no stack config here). */
export function liveClient(env: NodeJS.ProcessEnv): TrutoClient {
  return clientFor(resolveSettings(env));
}

/** Progress lines on stderr, prefixed with the command. */
export function progressTo(io: CommandIO, command: string): (line: string) => void {
  return (line) => void io.stderr.write(`${command}: ${line}\n`);
}

/** Writes and waits until the stream took it. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Reports `err` on stderr and returns the exit code: 2 for bad usage, a missing token or an account that
 * cannot be read; 1 for Truto failures and anything unexpected. TrutoError messages are already redacted.
 */
export async function reportFailure(io: CommandIO, command: string, usage: string, err: unknown): Promise<number> {
  if (err instanceof UsageError) {
    await write(io.stderr, `${command}: ${err.message}\n\n${usage}\n`);
    return EXIT.usage;
  }
  if (isTrutoError(err, TrutoErrorCodes.config) || err instanceof LiveAccessError || err instanceof InputError) {
    await write(io.stderr, `${command}: ${err.message}\n`);
    return EXIT.usage;
  }
  if (isTrutoError(err)) {
    await write(
      io.stderr,
      `${command}: reading Truto failed: ${err.message}\nNothing was written; fix the cause and run the command again.\n`,
    );
    return EXIT.failure;
  }
  const message = err instanceof Error ? err.message : String(err);
  await write(io.stderr, `${command}: unexpected failure: ${message}\n`);
  return EXIT.failure;
}

/** The text of `source` (a file, or `-` for stdin); a UsageError when nothing was piped in, an InputError when it cannot be read. */
export async function readInput(source: string, io: CommandIO, kind: InputKind): Promise<string> {
  if (source === "-" && isTerminal(io.stdin)) throw new UsageError(`no input: pass a file, or pipe ${kind.what} into it`);
  try {
    return await readSource(source, io.stdin, kind);
  } catch (err) {
    throw err instanceof InputUnreadable ? new InputError(err.message) : err;
  }
}
