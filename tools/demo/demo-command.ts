/**
 * `npm run demo`: walks the repository's example stack through up, a role change and destroy
 * against an embedded sandbox, with the Pulumi CLI when it is on PATH and through the provider host when not.
 */
import { runDemo, type DemoOptions } from "./run-demo";

const USAGE = `Usage: npm run demo -- [options]   (from a checkout of the repository)

Starts a sandbox with its seed, runs the root stack (examples/access) through \`pulumi up\`, a change of
Bob's Slack role, \`pulumi preview --diff\`, \`pulumi up\` and \`pulumi destroy\`, and prints who holds what
after each step. Without the Pulumi CLI on PATH it sends the same calls to the real provider host.
Exits 0 only when the sandbox shows every role the demo granted revoked at the end, and the roles held before it kept.

Options:
  --state FILE      keep the sandbox's state in FILE (and leave it there afterwards)
  --no-pulumi-cli   walk the provider host even when the Pulumi CLI is installed
  --pulumi-cli=required
                    fail (exit 1) instead of walking the provider host when \`pulumi\` is not on PATH;
                    the default when PULUMI_E2E=required (as in CI)
  -h, --help        show this help`;

/** Parses the flags; a string is a usage error to print. */
function parseArgs(args: string[]): DemoOptions | "help" | string {
  const options: DemoOptions = {};
  for (let i = 0; i < args.length; i += 1) {
    const [flag, inline] =
      args[i].startsWith("--") && args[i].includes("=")
        ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
        : [args[i], undefined];
    if (flag === "-h" || flag === "--help") return "help";
    if (flag === "--no-pulumi-cli" && inline === undefined) {
      options.pulumiCli = "never";
    } else if (flag === "--pulumi-cli") {
      const value = inline ?? args[++i];
      if (value !== "required" && value !== "auto") return `--pulumi-cli takes "required" or "auto", not "${value ?? ""}".`;
      options.pulumiCli = value;
    } else if (flag === "--state") {
      const value = inline ?? args[++i];
      if (!value) return "--state needs a file name.";
      options.stateFile = value;
    } else {
      return `Unknown option "${args[i]}".`;
    }
  }
  return options;
}

/** Runs `demo` with the arguments after the command name; resolves to the exit code. */
export async function demoCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof parsed === "string") {
    process.stderr.write(`demo: ${parsed}\n\n${USAGE}\n`);
    return 2;
  }
  return runDemo(parsed);
}

if (require.main === module) {
  demoCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`demo: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
