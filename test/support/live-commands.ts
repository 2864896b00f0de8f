/**
 * Running `export` and `audit` in-process against a sandbox: captured streams, the environment the
 * commands read, and a stack export built from the generated module's assignments (as `pulumi up` would
 * record them), for audit tests that need no Pulumi CLI.
 */
import { PassThrough, Writable } from "node:stream";
import type { CommandIO } from "../../src/cli/live-command";
import { ROLE_ASSIGNMENT_TYPE } from "../../src/review";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What one command run printed and returned. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` with `args`, `stdinText` on stdin and `env` as its environment. */
export async function runCommand(
  command: (args: string[], io: CommandIO, env: NodeJS.ProcessEnv) => Promise<number>,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdinText = "",
): Promise<CommandRun> {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await command(args, { stdin, stdout, stderr }, env);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** One RoleAssignment's name and plain arguments, as the generated module's `assignments()` returns them. */
export interface AssignmentLike {
  name: string;
  args: {
    integratedAccountId: string;
    integration: string;
    userId: string;
    roles: { id: string; name?: string }[];
    [key: string]: unknown;
  };
}

/** A `pulumi stack export` document holding one RoleAssignment per assignment, with the outputs a clean `up` records. */
export function stackExportOf(assignments: readonly AssignmentLike[]): { version: number; deployment: { resources: unknown[] } } {
  return {
    version: 3,
    deployment: {
      resources: [
        { urn: "urn:pulumi:dev::adopt::pulumi:pulumi:Stack::adopt-dev", type: "pulumi:pulumi:Stack", outputs: {} },
        ...assignments.map(({ name, args }) => ({
          urn: `urn:pulumi:dev::adopt::${ROLE_ASSIGNMENT_TYPE}::${name}`,
          type: ROLE_ASSIGNMENT_TYPE,
          outputs: { ...args, onDelete: "restore", activeRoles: args.roles, expiredRoles: [], heldRoles: args.roles, assignmentId: name },
        })),
      ],
    },
  };
}
