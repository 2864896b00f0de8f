/**
 * A RoleAssignment program run by the Automation API as an inline program (`@pulumi/pulumi/automation`,
 * LocalWorkspace): the language runtime is served in-process by the SDK and the CLI connects to it, so the Node
 * runtime path runs without tools/pulumi-cli/pulumi-language-nodejs.js, the stand-in every other e2e file uses.
 * To show that, the CLI runs from a folder of its own that holds only `pulumi` and the dynamic-provider launcher,
 * with the stand-in's folder taken off PATH. up, a preview with no changes, and destroy, with the sandbox's state
 * checked after each.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { RoleAssignment } from "pulumi-truto-access";
import { SEED_IDS } from "../../src/sandbox";
import { findExecutable } from "../../tools/demo/find-executable";
import { grantKey, jumpcloudRoles, scenarioSandbox, slackRoles, sorted, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiWorkspace } from "../support/pulumi-cli";

const { jumpcloud: JUMPCLOUD, slackenterprise: SLACK } = SEED_IDS.accounts;
const CAROL_JC = SEED_IDS.jumpcloud.users.carol;
const BOB_SLACK = SEED_IDS.slackenterprise.users.bob;
const DECLARED = sorted([
  grantKey(JUMPCLOUD, CAROL_JC, "manager"),
  grantKey(JUMPCLOUD, CAROL_JC, "help-desk"),
  grantKey(SLACK, BOB_SLACK, "Rl03", "T0PLATFORM"),
]);

/** The inline program: the same RoleAssignments a user's program would declare, written as a function. */
async function program(): Promise<Record<string, unknown>> {
  const carol = new RoleAssignment("carol-jumpcloud", jumpcloudRoles(CAROL_JC, "manager", "help-desk") as never);
  const bob = new RoleAssignment("bob-slack", slackRoles(BOB_SLACK, "T0PLATFORM", "Rl03") as never);
  return { carol: carol.assignmentId, bob: bob.assignmentId };
}

describeWithPulumi("e2e: an Automation API inline program (no pulumi-language-nodejs)", (pulumi) => {
  let workspace: PulumiWorkspace;
  let sandbox: ScenarioSandbox;
  let stack: Stack;
  let env: Record<string, string>;
  const managed = async () => sorted([...(await sandbox.held())].filter((k) => DECLARED.includes(k)));

  before(async function () {
    this.timeout(120_000);
    workspace = await PulumiWorkspace.create(pulumi);
    sandbox = await scenarioSandbox();
    // A CLI folder without the stand-in: `pulumi` (a hard link, so the CLI's own folder is this one) and the
    // dynamic-provider launcher, and a PATH without the folder scripts/pulumi-cli.sh filled.
    const root = path.join(workspace.root, "automation-cli");
    const bin = path.join(root, "bin");
    await fs.mkdir(bin, { recursive: true });
    await fs.link(pulumi, path.join(bin, "pulumi")).catch(() => fs.copyFile(pulumi, path.join(bin, "pulumi")));
    await fs.chmod(path.join(bin, "pulumi"), 0o755);
    const launcher = findExecutable("pulumi-resource-pulumi-nodejs")!;
    await fs.symlink(launcher, path.join(bin, "pulumi-resource-pulumi-nodejs"));
    const cliDirs = new Set([path.dirname(pulumi), path.dirname(launcher), path.dirname(findExecutable("pulumi-language-nodejs")!)]);
    const PATH = [bin, ...(process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !cliDirs.has(d))].join(path.delimiter);
    assert.equal(findExecutable("pulumi-language-nodejs", { PATH }), undefined, "the stand-in is not reachable");
    env = { ...workspace.env, ...sandbox.env(), PATH };
    // The project folder the CLI and the provider host run in: node_modules linked, so the host resolves the package.
    const workDir = await workspace.project(path.join(__dirname, "programs", "assignments"));
    stack = await LocalWorkspace.createStack(
      { stackName: `auto-${randomBytes(3).toString("hex")}`, projectName: "truto-e2e-automation", program },
      {
        workDir,
        envVars: env,
        pulumiCommand: await PulumiCommand.get({ root, skipVersionCheck: true }),
        projectSettings: { name: "truto-e2e-automation", runtime: "nodejs", backend: { url: workspace.env.PULUMI_BACKEND_URL } },
      },
    );
  });
  after(async () => {
    await stack?.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
    await sandbox?.close();
    await workspace?.dispose();
  });

  it("up grants the declared roles, a preview shows no changes, destroy revokes them", async function () {
    this.timeout(600_000);
    assert.deepEqual(await managed(), [], "precondition: nobody holds the declared roles");

    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.deepEqual(up.summary.resourceChanges, { create: 3 }, "the stack and two RoleAssignments");
    assert.deepEqual(await managed(), DECLARED);
    assert.equal(typeof up.outputs.carol.value, "string");
    const exported = await stack.exportStack();
    const types = (exported.deployment.resources as { type: string }[]).map((r) => r.type).sort();
    assert.deepEqual(types.filter((t) => t.endsWith("truto:RoleAssignment")).length, 2);

    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 }, "no changes");
    assert.deepEqual(await managed(), DECLARED);

    const destroyed = await stack.destroy();
    assert.equal(destroyed.summary.result, "succeeded");
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 3 });
    assert.deepEqual(await managed(), [], "destroy revoked every declared role");
  });
});
