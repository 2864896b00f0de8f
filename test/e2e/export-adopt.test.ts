/**
 * Adopting existing access with the real Pulumi CLI: `pulumi-truto-access export` of every seeded account
 * writes access.ts and index.ts into a project, `pulumi up` adopts every role without changing the
 * sandbox, `pulumi preview --expect-no-changes` passes, `audit` of `pulumi stack export` reports nothing
 * until a role is granted around the stack, and destroy (onDelete "restore") leaves every adopted role.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { SEED_IDS } from "../../src/sandbox";
import { declaredGrants, grantKey, scenarioSandbox, sorted, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiStack, PulumiWorkspace, REPO_ROOT } from "../support/pulumi-cli";

const PROGRAM = path.join(__dirname, "programs", "adopt");
const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

/** Runs the built `pulumi-truto-access` CLI (npm run build first) with `env`, feeding `stdin`. */
function cli(args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describeWithPulumi("e2e: export, then a stack adopts the export without a change (real CLI)", (pulumi) => {
  let workspace: PulumiWorkspace;
  let sandbox: ScenarioSandbox;
  let stack: PulumiStack;
  let seed: Set<string>;

  before(async function () {
    this.timeout(60_000);
    workspace = await PulumiWorkspace.create(pulumi);
    sandbox = await scenarioSandbox();
    seed = await sandbox.held();
    const dir = await workspace.project(PROGRAM);
    const accounts = Object.values(SEED_IDS.accounts).flatMap((id) => ["--account", id]);
    const run = await cli(["export", ...accounts, "--out", dir], sandbox.env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /wrote access\.ts, index\.ts/);
    stack = await PulumiStack.init(workspace, dir, sandbox.env());
  });
  after(async function () {
    this.timeout(300_000);
    await stack?.destroy({ allowFailure: true });
    await stack?.remove();
    await sandbox?.close();
    await workspace?.dispose();
  });

  it("up adopts every exported role and changes nothing in the sandbox; preview --expect-no-changes passes", async function () {
    this.timeout(600_000);
    await stack.up();
    assert.deepEqual(sorted(await sandbox.held()), sorted(seed), "adopting changed the sandbox's access");
    const assignments = await stack.assignments();
    assert.equal(assignments.size, 11);
    assert.deepEqual(sorted(declaredGrants(assignments.values())), sorted(seed), "the stack declares exactly the access that was held");
    await stack.preview({}, "--diff", "--expect-no-changes");
  });

  it("audit of the stack export reports nothing, then finds a role granted around the stack (exit 3 with --fail-on)", async function () {
    this.timeout(120_000);
    const exported = JSON.stringify(await stack.exportState());
    const clean = await cli(["audit", "--fail-on", "any"], sandbox.env(), exported);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /No out-of-band roles and no drift/);

    const state = await sandbox.admin.state();
    state.users.find((u) => u.id === SEED_IDS.slackenterprise.users.erin)!.roles.push({ id: "Rl0J", workspace: "T0PLATFORM" });
    await sandbox.admin.putState(state);
    const found = await cli(["audit", "--fail-on", "out-of-band", "--format", "json"], sandbox.env(), exported);
    assert.equal(found.code, 3, found.stderr);
    const json = JSON.parse(found.stdout);
    assert.deepEqual(
      json.outOfBand.map((f: { userId: string; roleId: string; scope: string; privileged: boolean }) => [
        f.userId,
        f.roleId,
        f.scope,
        f.privileged,
      ]),
      [[SEED_IDS.slackenterprise.users.erin, "Rl0J", "T0PLATFORM", true]],
    );
  });

  it("destroy leaves every adopted role held (onDelete restore), the owner's admin roles included", async function () {
    this.timeout(600_000);
    await stack.destroy();
    const held = await sandbox.held();
    for (const k of seed) assert.ok(held.has(k), `${k} was revoked by destroy`);
    assert.ok(held.has(grantKey(SEED_IDS.accounts.slackenterprise, SEED_IDS.slackenterprise.users.owner, "Rl0J", "T0SALES")));
  });
});
