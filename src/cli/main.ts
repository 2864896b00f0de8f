#!/usr/bin/env node
/**
 * `pulumi-truto-access <command>`: the sandbox, the access-change review, and the export and audit of live access.
 */
const USAGE = `Usage: pulumi-truto-access <command> [options]

Commands:
  sandbox   Run a local Truto-compatible sandbox (prints {"url","token"} as its first line)
  review    Summarise \`pulumi preview --json\` as Markdown for a pull-request comment
  export    Write the access Truto accounts hold now as a typed module a Pulumi program uses (or JSON)
  audit     Compare live access with a stack (\`pulumi stack export\`): out-of-band roles and drift

Run \`pulumi-truto-access <command> --help\` for a command's options, and \`pulumi-truto-access --version\` for the version.`;

/** This package's version, from the package.json shipped beside dist/. */
function version(): string {
  return (require("../../package.json") as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "sandbox":
      return (await import("./sandbox-command")).sandboxCommand(rest);
    case "review":
      return (await import("./review-command")).reviewCommand(rest, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    case "export":
      return (await import("./export-command")).exportCommand(rest, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    case "audit":
      return (await import("./audit-command")).auditCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    case "-v":
    case "--version":
    case "version":
      process.stdout.write(`pulumi-truto-access ${version()}\n`);
      return 0;
    case undefined:
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pulumi-truto-access: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
