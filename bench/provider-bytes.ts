/**
 * Measures the `__provider` text a real program stores per RoleAssignment: the built package's
 * RoleAssignment is constructed under Pulumi's mocks and the text it registers is read back. Mocks are
 * process-wide, so {@link measureProviderText} does this in a child process running this file.
 */
import { execFile } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { benchAccountId } from "./population";

/** What the measurement found. */
export interface ProviderText {
  /** The text itself, to send to the host exactly as a program would. */
  text: string;
  /** UTF-8 bytes of each measured resource's `__provider`. */
  bytesPerResource: number[];
  /** Whether every resource carried the very same text (the shim must not vary per resource). */
  identical: boolean;
}

// The built package, as a program that installed it loads it (resolved through the self-link).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPackage = (): typeof import("../src/index") => require("pulumi-truto-access");

/** Runs {@link measureInThisProcess} in a child process, so the caller's Pulumi runtime keeps its settings. */
export function measureProviderText(): Promise<ProviderText> {
  const args = ["-r", require.resolve("ts-node/register/transpile-only"), __filename];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error)
        return reject(
          new Error(`bench: measuring __provider failed (${error.message}). Is the package built (\`npm run build\`)?\n${stderr}`),
        );
      try {
        resolve(JSON.parse(stdout) as ProviderText);
      } catch {
        reject(new Error(`bench: the __provider measurement printed something other than JSON:\n${stdout.slice(0, 500)}`));
      }
    });
  });
}

/** Registers one RoleAssignment per integration kind under mocks and reads each one's `__provider`. */
export async function measureInThisProcess(): Promise<ProviderText> {
  const { RoleAssignment } = loadPackage();
  const seen: string[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (typeof args.inputs.__provider === "string") seen.push(args.inputs.__provider);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "truto-access-bench",
    "bench",
    false,
  );
  const resources = [
    new RoleAssignment("bytes-jumpcloud", {
      integratedAccountId: benchAccountId(201),
      integration: "jumpcloud",
      userId: "u1",
      roles: [{ id: "manager" }],
    }),
    new RoleAssignment("bytes-slack", {
      integratedAccountId: benchAccountId(202),
      integration: "slackenterprise",
      userId: "U1",
      workspaceId: "T1",
      roles: [{ id: "Rl0A" }],
    }),
    new RoleAssignment("bytes-elastic", {
      integratedAccountId: benchAccountId(203),
      integration: "elasticcloud",
      userId: "1",
      organizations: [{ id: "o1" }],
      roles: [{ id: "billing-admin" }],
    }),
  ];
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  if (seen.length !== resources.length) {
    throw new Error(`bench: expected ${resources.length} registrations carrying __provider under mocks, saw ${seen.length}.`);
  }
  return { text: seen[0], bytesPerResource: seen.map((t) => Buffer.byteLength(t, "utf8")), identical: seen.every((t) => t === seen[0]) };
}

/** Serializes any provider object as `pulumi.dynamic.Resource` does. */
export async function serializeProviderText(provider: object): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

if (require.main === module) {
  measureInThisProcess().then(
    (measured) => process.stdout.write(JSON.stringify(measured)),
    (error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
