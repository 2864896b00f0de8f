/**
 * Runs the `review` command in-process with its streams captured, for the unit tests of the CLI.
 */
import { PassThrough, Writable } from "node:stream";
import { reviewCommand } from "../../src/cli/review-command";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What one `review` run printed and returned. */
export interface ReviewRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `review ARGS` with `stdinText` on stdin (ended empty when undefined, left open on a `tty`) and `env` as
 * its environment (empty by default, so no token of the machine's can reach a test's output).
 */
export async function runReview(
  args: string[],
  stdinText?: string,
  opts: { env?: NodeJS.ProcessEnv; tty?: boolean } = {},
): Promise<ReviewRun> {
  const { env = {}, tty = false } = opts;
  const stdin = new PassThrough();
  if (tty) Object.assign(stdin, { isTTY: true });
  if (stdinText !== undefined || !tty) stdin.end(stdinText ?? "");
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await reviewCommand(args, { stdin, stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
