/**
 * Real `pulumi preview --json` output for the review tool. One stack goes up with five assignments, then
 * previews a change holding every kind of step: an in-place update, a replacement of each order, a create,
 * a delete, an unchanged assignment and a userId that is unknown until apply. It is captured plain and with `--diff`,
 * `--show-replacement-steps` and `--show-sames`, made machine-independent, and compared with
 * test/fixtures/preview/real/: the review of each stored fixture must equal the review of the live
 * output, so the fixtures stay what this CLI prints. Last, an assignment with an input the provider's
 * check refuses makes the preview fail (`failed-check`), for the review's "preview failed" comment.
 * `npm run fixtures:preview` rewrites them.
 */
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { renderComment, renderFailure, reviewPreviewJson } from "../../src/review";
import { scenarioSandbox, type ScenarioSandbox } from "../support/e2e-access";
import { describeWithPulumi, PulumiStack, PulumiWorkspace } from "../support/pulumi-cli";

const FIXTURES = path.join(__dirname, "..", "fixtures", "preview", "real");
const UPDATE = process.env.UPDATE_PREVIEW_FIXTURES === "1";
const PROGRAM = path.join(__dirname, "programs", "assignments");

const SLACK = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01";
const JUMPCLOUD = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02";
const ELASTIC = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03";
const jc = (userId: string, ...roles: string[]) => ({
  integratedAccountId: JUMPCLOUD,
  integration: "jumpcloud",
  userId,
  roles: roles.map((id) => ({ id })),
});

const BEFORE = {
  "alice-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a001", "administrator"),
  "carol-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a003", "manager"),
  "bob-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a002", "read-only"),
  "lead-slack": {
    integratedAccountId: SLACK,
    integration: "slackenterprise",
    userId: "U02BOB",
    workspaceId: "T0PLATFORM",
    roles: [{ id: "Rl03", name: "User Admin" }],
  },
  "dan-elastic": {
    integratedAccountId: ELASTIC,
    integration: "elasticcloud",
    userId: "1183940204",
    organizations: [{ id: "4201839311", name: "Acme Production" }],
    roles: [{ id: "deployment-viewer" }],
  },
};
const AFTER = {
  // unchanged: a same step, shown only with --show-sames
  "bob-jumpcloud": BEFORE["bob-jumpcloud"],
  // update in place: a second role
  "alice-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a001", "administrator", "help-desk"),
  // replacement, create before delete: another user
  "lead-slack": { ...BEFORE["lead-slack"], userId: "U03CAROL" },
  // replacement, delete before create: the organizations overlap
  "dan-elastic": {
    ...BEFORE["dan-elastic"],
    organizations: [
      { id: "4201839311", name: "Acme Production" },
      { id: "4201839312", name: "Acme Staging" },
    ],
  },
  // create
  "erin-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a005", "read-only"),
  // create whose userId is unknown at preview
  "dan-jumpcloud": jc("64a1f0c2e4b0a1a1a1a1a004", "command-runner"),
  // carol-jumpcloud is deleted
};
// A preview that fails: the provider's check refuses an input, so `pulumi preview --json` reports an error diagnostic.
const FAILING = {
  ...AFTER,
  "frank-jumpcloud": { ...jc("64a1f0c2e4b0a1a1a1a1a006", "read-only"), integratedAccountId: "acct-frank" },
};
const VARIANTS: Record<string, string[]> = {
  plain: [],
  diff: ["--diff"],
  "replacement-steps": ["--show-replacement-steps"],
  sames: ["--show-sames"],
};

/**
 * The CLI's stdout with what differs between machines and runs (folders, the sandbox's port, the stack name,
 * times, durations, source positions) replaced by fixed text in place, so the rest stays byte for byte what the
 * CLI printed: its 4-space indent, Go's HTML escaping (`=\u003e`), its key order. Each replacement is made
 * inside a JSON string, so the text stays the JSON the CLI printed.
 */
function machineIndependent(text: string, replacements: [string, string][]): string {
  let out = replacements.reduce((s, [from, to]) => s.split(from).join(to), text);
  out = out.replace(/"(created|modified)": "[^"]*"/g, '"$1": "2026-01-01T00:00:00Z"');
  out = out.replace(/"duration": \d+/g, '"duration": 0');
  out = out.replace(/"sourcePosition": "[^"]*"/g, '"sourcePosition": "project:///index.ts"');
  return out;
}

/** The comment the CLI prints for `json`: the review, or the "preview failed" comment. */
function review(json: unknown): string {
  const outcome = reviewPreviewJson(json);
  return outcome.kind === "failed" ? renderFailure(outcome.failure) : renderComment(outcome.review, { target: outcome.target }).markdown;
}

describeWithPulumi("e2e: real preview JSON as the review tool's fixtures", (pulumi) => {
  let workspace: PulumiWorkspace;
  let sandbox: ScenarioSandbox;
  let stack: PulumiStack;
  const live: Record<string, unknown> = {};
  const printed: Record<string, string> = {};
  let version = "";

  before(async function () {
    this.timeout(600_000);
    workspace = await PulumiWorkspace.create(pulumi);
    sandbox = await scenarioSandbox();
    stack = await PulumiStack.init(workspace, await workspace.project(PROGRAM), sandbox.env());
    version = (await workspace.run(workspace.root, ["version"])).stdout.trim();
    await stack.setConfig("assignments", JSON.stringify(BEFORE));
    await stack.up();
    await stack.setConfig("assignments", JSON.stringify(AFTER));
    await stack.setConfig("lateUserIds", JSON.stringify(["dan-jumpcloud"]));
    const replacements: [string, string][] = [
      [workspace.root, "/tmp/truto-e2e"],
      [sandbox.handle.url, "http://127.0.0.1:0"],
      [stack.name, "fixtures"],
    ];
    const capture = async (...flags: string[]) => machineIndependent((await stack.previewJsonText(...flags)).text, replacements);
    for (const [name, flags] of Object.entries(VARIANTS)) printed[name] = await capture(...flags);
    await stack.setConfig("assignments", JSON.stringify(FAILING));
    printed["failed-check"] = await capture();
    for (const [name, text] of Object.entries(printed)) live[name] = JSON.parse(text);
    if (UPDATE) {
      await fs.mkdir(FIXTURES, { recursive: true });
      for (const [name, text] of Object.entries(printed)) await fs.writeFile(path.join(FIXTURES, `${name}.json`), text);
      await fs.writeFile(
        path.join(FIXTURES, "README.md"),
        `# Real preview JSON\n\nWritten by \`npm run fixtures:preview\` with Pulumi CLI ${version} (test/e2e/preview-fixtures.test.ts says what the stack holds and what it previews). Each file is the CLI's stdout as printed (4-space indent, Go's HTML escaping, its key order), with only machine-dependent values (folders, the sandbox's port, stack name, times, durations, source positions) replaced with fixed text in place.\n`,
      );
    }
  });
  after(async () => {
    await stack?.remove();
    await sandbox?.close();
    await workspace?.dispose();
  });

  for (const name of [...Object.keys(VARIANTS), "failed-check"]) {
    it(`${name}: the stored fixture reviews the same as this CLI's live output`, async () => {
      const stored = JSON.parse(await fs.readFile(path.join(FIXTURES, `${name}.json`), "utf8"));
      assert.equal(
        review(stored),
        review(live[name]),
        `test/fixtures/preview/real/${name}.json is stale: run \`npm run fixtures:preview\``,
      );
    });
  }

  it("failed-check: the live preview of a refused input is a failed preview quoting the check's error", () => {
    const outcome = reviewPreviewJson(live["failed-check"]);
    assert.equal(outcome.kind, "failed");
    const md = review(live["failed-check"]);
    assert.ok(md.startsWith("<!-- pulumi-truto-access:review truto-e2e-assignments/fixtures -->\n"), md);
    assert.ok(md.includes("`frank-jumpcloud`") && md.includes("property integratedAccountId value {acct-frank} has a problem"), md);
  });

  it("the fixtures name the CLI version that wrote them", async () => {
    const readme = await fs.readFile(path.join(FIXTURES, "README.md"), "utf8");
    assert.ok(
      readme.includes(`Pulumi CLI ${version}`),
      `fixtures were written by another CLI than ${version}: run \`npm run fixtures:preview\``,
    );
  });
});
