/**
 * A command's input: a file, or `-` for stdin, read whole but bounded, with errors that say what to pass.
 * `review` (preview JSON) and `audit` (a stack export) read theirs here.
 */
import { readFile, stat } from "node:fs/promises";

// Previews and stack exports of large stacks run to tens of megabytes; far beyond that something else is being read.
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** What the input is, and how a user produces it, for messages: "the JSON printed by `pulumi preview --json`". */
export interface InputKind {
  readonly what: string;
  /** The file to pass instead: "the file written by `pulumi preview --json > preview.json`". */
  readonly file: string;
}

/** An input that could not be read: missing, unreadable, or too large. */
export class InputUnreadable extends Error {
  override readonly name = "InputUnreadable";
}

const READ_FAILURES: Record<string, string> = { ENOENT: "no such file", EISDIR: "it is a directory", EACCES: "permission denied" };

/** Whether `stdin` is a terminal: then nothing was piped in, and reading it would wait for a person. */
export function isTerminal(stdin: NodeJS.ReadableStream): boolean {
  return (stdin as { isTTY?: boolean }).isTTY === true;
}

/** The text of `source` (a file path, or `-` for `stdin`). */
export async function readSource(source: string, stdin: NodeJS.ReadableStream, kind: InputKind): Promise<string> {
  const tooLarge = (name: string) =>
    new InputUnreadable(`${name} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; expected ${kind.what}.`);
  if (source === "-") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) throw tooLarge("stdin");
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    // Checked before reading, so a wrong path to a huge file fails fast instead of filling memory.
    if ((await stat(source)).size > MAX_INPUT_BYTES) throw tooLarge(source);
    return await readFile(source, "utf8");
  } catch (err) {
    if (err instanceof InputUnreadable) throw err;
    const why = READ_FAILURES[(err as NodeJS.ErrnoException).code ?? ""] ?? (err as Error).message;
    throw new InputUnreadable(`cannot read ${source}: ${why}. Pass ${kind.file}, or \`-\` to read stdin.`);
  }
}
