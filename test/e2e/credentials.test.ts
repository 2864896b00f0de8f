/**
 * The Truto token on the real CLI: from the environment only, then only from
 * `pulumi config set --secret truto:apiToken` (no environment). Both reach the provider host, and the
 * token appears in none of `pulumi stack export`, the CLI's output, the backend's files or PULUMI_HOME.
 */
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { grantKey, scenarioSandbox, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiStack, PulumiWorkspace, type CliResult } from "../support/pulumi-cli";

const JUMPCLOUD = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02";
const CAROL = "64a1f0c2e4b0a1a1a1a1a003";
const PROGRAM = path.join(__dirname, "programs", "assignments");
const ASSIGNMENTS = JSON.stringify({
  carol: { integratedAccountId: JUMPCLOUD, integration: "jumpcloud", userId: CAROL, roles: [{ id: "manager" }] },
});

describeWithPulumi("e2e: the Truto token never reaches state, output or files", (pulumi) => {
  for (const source of ["environment", "secret stack config"] as const) {
    describe(`token from the ${source}`, function () {
      this.timeout(600_000);
      let workspace: PulumiWorkspace;
      let sandbox: ScenarioSandbox;
      let stack: PulumiStack;
      const outputs: CliResult[] = [];

      before(async () => {
        workspace = await PulumiWorkspace.create(pulumi);
        sandbox = await scenarioSandbox();
        const dir = await workspace.project(PROGRAM);
        stack = await PulumiStack.init(workspace, dir, sandbox.env(source === "environment"));
        await stack.setConfig("assignments", ASSIGNMENTS);
        if (source === "secret stack config") outputs.push(await stack.setConfig("truto:apiToken", sandbox.handle.token, { secret: true }));
      });
      after(async () => {
        await stack?.remove();
        await sandbox?.close();
        await workspace?.dispose();
      });

      it("up and destroy work with the token from this source alone", async () => {
        outputs.push(await stack.up());
        assert.ok((await sandbox.held()).has(grantKey(JUMPCLOUD, CAROL, "manager")), "granted");
        outputs.push(await stack.preview({}, "--diff", "--expect-no-changes"));
        outputs.push(await stack.refresh({}, "--expect-no-changes"));
        outputs.push(await stack.run(["stack", "export"]));
        outputs.push(await stack.destroy());
        assert.ok(!(await sandbox.held()).has(grantKey(JUMPCLOUD, CAROL, "manager")), "revoked");
      });

      it("no command printed the token, and no file of the backend or PULUMI_HOME holds it", async () => {
        const token = sandbox.handle.token;
        for (const r of outputs) assert.ok(!r.output.includes(token), `\`pulumi ${r.args.join(" ")}\` printed the token`);
        const files = await workspace.files();
        assert.ok(
          files.some((f) => f.includes(`${path.sep}backend${path.sep}`)),
          "the backend has files to check",
        );
        for (const file of files) {
          const text = await fs.readFile(file, "latin1");
          assert.ok(!text.includes(token), `${path.relative(workspace.root, file)} holds the token`);
        }
        const project = await fs.readdir(stack.dir);
        for (const name of project.filter((n) => n.startsWith("Pulumi."))) {
          const text = await fs.readFile(path.join(stack.dir, name), "utf8");
          assert.ok(!text.includes(token), `${name} holds the token in plain text`);
        }
      });
    });
  }
});
