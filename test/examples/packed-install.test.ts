/**
 * The package as a user gets it: `npm pack`, then `npm install` of the tarball into a project made the way
 * `pulumi new typescript` makes one (its tsconfig: strict, commonjs, es2020, no esModuleInterop, no
 * skipLibCheck), with the user's own `@pulumi/pulumi`. Its program uses every export of the package root and
 * must type-check; the package must load from the install, share the project's `@pulumi/pulumi` (a peer, never a
 * second copy), and ship what its source maps and metadata point at. Needs the package built (`npm run build`).
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../tools/engine/package-root";

const run = promisify(execFile);
const ROOT = packageRoot();
const PULUMI_NEW_TSCONFIG = path.join(ROOT, "examples", "jumpcloud", "tsconfig.json");

// Every value and type the package root exports, used so that tsc must resolve each declaration.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_BASE_URL,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  INTEGRATIONS,
  RULES,
  RoleAssignment,
  TrutoClient,
  TrutoError,
  TrutoErrorCodes,
  isTrutoError,
  userDirectory,
  validate,
  type AccountWideArgs,
  type CheckFailure,
  type ElasticCloudArgs,
  type SlackEnterpriseArgs,
  type ValidationResult,
  type ExpiredRole,
  type IntegrationRule,
  type IntegrationSlug,
  type Organization,
  type OrganizationArgs,
  type RateLimitSettings,
  type RetryPolicy,
  type Role,
  type RoleArgs,
  type RoleAssignmentArgs,
  type RoleAssignmentInputs,
  type RoleAssignmentOutputs,
  type RoleAssignmentUser,
  type TrutoClientOptions,
  type TrutoErrorCode,
} from "pulumi-truto-access";
import { SEED_IDS, defaultSeed, readWholeRequestLog, sandboxAdmin, startSandbox, type Fault, type FaultSpec, type SandboxAdmin, type SandboxSettings, type SandboxState } from "pulumi-truto-access/sandbox";

// The sandbox, as a user's tests start it.
export async function sandboxed(): Promise<number> {
  const sandbox = await startSandbox({ seed: defaultSeed() });
  const admin: SandboxAdmin = sandboxAdmin(sandbox);
  const fault: FaultSpec = { method: "GET", path: "/unified/*", count: 1, status: 503 };
  const armed: Fault = await admin.faults(fault);
  const settings: SandboxSettings = await admin.config({ latencyMs: 0 });
  const state: SandboxState = await admin.state();
  const log = await readWholeRequestLog(async () => ({ requests: [], next: null, dropped: 0 }));
  await sandbox.close();
  return armed.remaining + settings.latencyMs + state.users.length + log.length + SEED_IDS.jumpcloud.users.owner.length;
}

const role: RoleArgs = { id: "manager", expiresAt: "2030-01-01T00:00:00Z" };
const org: OrganizationArgs = { id: "4201839311" };
const args: RoleAssignmentArgs = {
  integratedAccountId: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02",
  integration: "jumpcloud",
  userId: "64a1f0c2e4b0a1a1a1a1a003",
  roles: [role],
  onDelete: "restore",
  allowLastHolder: false,
};
const assignment = new RoleAssignment("carol", args);
export const held: pulumi.Output<Role[]> = assignment.heldRoles;
export const user: pulumi.Output<RoleAssignmentUser> = assignment.user;

const slug: IntegrationSlug = INTEGRATIONS[0];
const rule: IntegrationRule = RULES[slug];
const code: TrutoErrorCode = TrutoErrorCodes.lastHolder;
const limit: RateLimitSettings = DEFAULT_RATE_LIMIT;
const policy: RetryPolicy = DEFAULT_RETRY_POLICY;
const options: TrutoClientOptions = { token: "not-a-token", baseUrl: DEFAULT_BASE_URL, timeoutMs: DEFAULT_TIMEOUT_MS, rateLimit: limit, retry: policy };
const client = new TrutoClient(options);
const users: Promise<{ id: string }[]> = userDirectory.listUsers(client, args.integratedAccountId as string);
const fail = (e: unknown): string => (isTrutoError(e) && e instanceof TrutoError ? e.code : code);
// Each integration's scope is checked by the compiler: these must be errors (an unused directive fails tsc).
const account = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01";
// @ts-expect-error Slack Enterprise needs workspaceId
export const slackWithoutWorkspace: SlackEnterpriseArgs = { integratedAccountId: account, integration: "slackenterprise", userId: "U1", roles: [] };
// @ts-expect-error Slack Enterprise needs workspaceId
new RoleAssignment("slack-no-workspace", { integratedAccountId: account, integration: "slackenterprise", userId: "U1", roles: [{ id: "Rl0A" }] });
// @ts-expect-error JumpCloud has no workspace
new RoleAssignment("jumpcloud-workspace", { integratedAccountId: account, integration: "jumpcloud", userId: "U1", workspaceId: "T0", roles: [{ id: "manager" }] });
// @ts-expect-error Elastic Cloud needs organizations
new RoleAssignment("elastic-no-organizations", { integratedAccountId: account, integration: "elasticcloud", userId: "1", roles: [{ id: "deployment-viewer" }] });
const elastic: ElasticCloudArgs = { integratedAccountId: account, integration: "elasticcloud", userId: "1", organizations: [{ id: "4201839311" }], roles: [{ id: "deployment-viewer" }] };
const accountWide: AccountWideArgs = { integratedAccountId: account, integration: "teamviewer", userId: "tv-1", roles: [{ id: "tv-role-member" }] };
// An integration known only at run time is left to check.
export const late = new RoleAssignment("late", { integratedAccountId: account, integration: pulumi.output<IntegrationSlug>("slackenterprise"), userId: "U1", roles: [] });
const checked: ValidationResult = validate({ ...elastic, roles: [{ id: "deployment-viewer" }] });
const failures: readonly CheckFailure[] = checked.failures;
type Shapes = [typeof accountWide, typeof failures, RoleAssignmentInputs, RoleAssignmentOutputs, ExpiredRole, Organization, typeof org, typeof rule, typeof users, typeof fail];
export type { Shapes };
`;

describe("the packed package, installed into a `pulumi new typescript` project", function () {
  this.timeout(180_000);
  let dir = "";
  let installed = "";

  before(async () => {
    assert.ok(existsSync(path.join(ROOT, "dist", "index.d.ts")), "the package is not built: run `npm run build` first");
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "truto-access-packed-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 });
    const tarball = (JSON.parse(stdout) as { filename: string }[])[0].filename;
    const ours = JSON.parse(await fs.readFile(path.join(ROOT, "package.json"), "utf8"));
    const pulumiVersion = JSON.parse(await fs.readFile(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"))
      .version as string;
    await fs.writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-truto-access": `file:./${path.basename(tarball)}` },
        devDependencies: { typescript: ours.devDependencies.typescript, "@types/node": ours.devDependencies["@types/node"] },
      }),
    );
    await fs.copyFile(PULUMI_NEW_TSCONFIG, path.join(dir, "tsconfig.json"));
    await fs.writeFile(path.join(dir, "index.ts"), PROGRAM);
    // From npm's cache where it can: the same registry packages the repository's own install fetched.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      maxBuffer: 32 * 1024 * 1024,
    });
    installed = path.join(dir, "node_modules", "pulumi-truto-access");
  });

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("uses the tsconfig `pulumi new typescript` writes: no esModuleInterop, no skipLibCheck", async () => {
    const { compilerOptions } = JSON.parse(await fs.readFile(path.join(dir, "tsconfig.json"), "utf8"));
    assert.equal(compilerOptions.strict, true);
    assert.equal(compilerOptions.esModuleInterop, undefined);
    assert.equal(compilerOptions.skipLibCheck, undefined);
  });

  it("type-checks a program that uses every export of the package root, and the sandbox's", async () => {
    const tsc = path.join(dir, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "--noEmit", "-p", dir], { cwd: dir }).catch(
      (e: { stdout?: string; stderr?: string }) => e,
    );
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    assert.equal(output.trim(), "", `tsc reported:\n${output.slice(0, 4_000)}`);
  });

  it("shares the project's @pulumi/pulumi instead of installing a second copy", () => {
    assert.ok(existsSync(path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json")));
    assert.ok(!existsSync(path.join(installed, "node_modules", "@pulumi", "pulumi")), "a second @pulumi/pulumi under the package");
  });

  it("loads from the install, and its CLI answers --version with the package's version", async () => {
    const { stdout } = await run(
      process.execPath,
      ["-e", 'const p = require("pulumi-truto-access"); process.stdout.write(typeof p.RoleAssignment)'],
      { cwd: dir },
    );
    assert.equal(stdout, "function");
    const version = JSON.parse(await fs.readFile(path.join(installed, "package.json"), "utf8")).version;
    const cli = await run(process.execPath, [path.join(installed, "dist", "cli", "main.js"), "--version"], { cwd: dir });
    assert.equal(cli.stdout.trim(), `pulumi-truto-access ${version}`);
  });

  it("ships its licence, changelog and security policy, and source maps that carry their sources", async () => {
    for (const file of ["LICENSE", "CHANGELOG.md", "SECURITY.md", "README.md", "docs/reliability.md", "docs/performance.md"])
      assert.ok(existsSync(path.join(installed, file)), `${file} is not in the package`);
    assert.match(await fs.readFile(path.join(installed, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
    assert.ok(!existsSync(path.join(installed, "src")), "src/ is not shipped, so maps must inline their sources");
    const map = JSON.parse(await fs.readFile(path.join(installed, "dist", "provider", "lifecycle.js.map"), "utf8"));
    assert.equal(map.sources.length, map.sourcesContent?.length, "every source of the map is inlined");
    assert.ok(map.sourcesContent.every((text: unknown) => typeof text === "string" && text.length > 0));
  });
});

describe("the examples under the tsconfig `pulumi new typescript` writes", function () {
  this.timeout(120_000);
  const examples = ["access", "elastic-cloud", "jumpcloud", "slack-enterprise"];

  for (const name of examples) {
    it(`examples/${name} type-checks against the built package`, async () => {
      const dir = path.join(ROOT, "examples", name);
      const { compilerOptions } = JSON.parse(await fs.readFile(path.join(dir, "tsconfig.json"), "utf8"));
      assert.deepEqual(
        compilerOptions,
        JSON.parse(await fs.readFile(PULUMI_NEW_TSCONFIG, "utf8")).compilerOptions,
        "the same tsconfig as the others",
      );
      const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
      const result = await run(process.execPath, [tsc, "--noEmit", "-p", dir], { cwd: dir }).catch(
        (e: { stdout?: string; stderr?: string }) => e,
      );
      const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
      assert.equal(output.trim(), "", `tsc reported:\n${output.slice(0, 4_000)}`);
    });
  }
});
