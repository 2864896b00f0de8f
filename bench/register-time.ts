/**
 * How long a program takes to register N RoleAssignments (issue 14, `scale.registerMsPerResource`): the built
 * package's RoleAssignment constructed N times under Pulumi's mocks, from the first constructor call until every
 * URN has resolved, so the conflict registry and the provider's serialization are in the time. Mocks are
 * process-wide, so each count runs in a child process of its own, this file.
 */
import { execFile } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { scaleOrg } from "./scale-population";

/** One program's registration. */
export interface RegisterTime {
  resources: number;
  ms: number;
  msPerResource: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPackage = (): typeof import("../src/index") => require("pulumi-truto-access");

/** Registers the first `resources` of the scale org of `people` people in a fresh child process. */
export function measureRegistration(people: number, resources: number): Promise<RegisterTime> {
  const args = ["-r", require.resolve("ts-node/register/transpile-only"), __filename, String(people), String(resources)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench: registering ${resources} RoleAssignments failed (${error.message}).\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as RegisterTime);
      } catch {
        reject(new Error(`bench: the registration timing printed something other than JSON:\n${stdout.slice(0, 500)}`));
      }
    });
  });
}

async function registerInThisProcess(people: number, count: number): Promise<RegisterTime> {
  const declared = scaleOrg(people).resources.slice(0, count);
  if (declared.length !== count)
    throw new Error(`bench: the scale org of ${people} people has ${declared.length} resources, not ${count}.`);
  const { RoleAssignment } = loadPackage();
  let registered = 0;
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "truto-access-bench",
    "bench",
    false,
  );
  // One warm-up resource outside the time: the first construction loads the package's modules.
  const warm = new RoleAssignment("warm-up", { ...declared[0].inputs, userId: "warm-up-user" } as never);
  await new Promise((resolve) => warm.urn.apply(resolve));
  const started = performance.now();
  const resources = declared.map((d) => new RoleAssignment(d.name, d.inputs as never));
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  const ms = performance.now() - started;
  if (registered !== count + 1) throw new Error(`bench: expected ${count + 1} registrations under mocks, saw ${registered}.`);
  return { resources: count, ms, msPerResource: ms / count };
}

if (require.main === module) {
  registerInThisProcess(Number(process.argv[2]), Number(process.argv[3])).then(
    (measured) => process.stdout.write(JSON.stringify(measured)),
    (error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
