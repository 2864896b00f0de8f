/**
 * `pulumi-truto-access demo` end to end, from the build (dist/), with no Pulumi CLI on PATH: the
 * provider-host path. Judged by its exit code, its output and the sandbox state file it leaves.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../tools/engine/package-root";
import { runProgram } from "../../tools/engine/program";
import { declaredGrants, isGrantHeld } from "../../tools/demo/declared-grants";
import { DEMO_CHANGE } from "../../tools/demo/run-demo";
import { defaultSeed, SEED_IDS, type SandboxState } from "../../src/sandbox";

const ROOT = packageRoot();
const DEMO = path.join(ROOT, "tools", "demo", "demo-command.ts");
// The demo takes a few seconds; the bound only keeps a hung child from outliving the test.
const CHILD_LIMIT_MS = 90_000;
const DEMO_ACCOUNTS: string[] = [SEED_IDS.accounts.slackenterprise, SEED_IDS.accounts.jumpcloud, SEED_IDS.accounts.elasticcloud];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the demo (`npm run demo -- ...args` without the build) with a PATH holding only node's own directory, and
 * without PULUMI_E2E (CI sets it to "required", which makes a demo without the CLI fail) unless `env` sets it.
 */
function runDemo(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const { PULUMI_E2E: _required, ...inherited } = process.env;
    void _required;
    const childEnv = { ...inherited, PATH: path.dirname(process.execPath), ...env };
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", DEMO, ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_LIMIT_MS);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The output between a "Who holds what <title>" line and the next step or checkpoint. */
function section(stdout: string, title: string): string {
  const start = stdout.indexOf(`Who holds what ${title}`);
  assert.ok(start >= 0, `no "Who holds what ${title}" in the output:\n${stdout}`);
  const rest = stdout.slice(start);
  const end = rest.search(/\n(\[\d\/3\]|  Who holds what|Done in|FAILED)/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe("demo command (no Pulumi CLI: the provider-host path)", function () {
  this.timeout(CHILD_LIMIT_MS + 10_000);
  let dir: string;

  before(function () {
    assert.ok(
      existsSync(path.join(ROOT, "dist", "index.js")),
      "dist is missing: run `npm run build` first (npm test does); the provider host loads it.",
    );
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "truto-demo-test-"));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("walks up, a role change and destroy, then exits 0 with every declared role revoked in the sandbox", async () => {
    const stateFile = path.join(dir, "state.json");
    const { code, stdout, stderr } = await runDemo(["--state", stateFile]);
    assert.equal(code, 0, `exit ${code}\n${stdout}\n${stderr}`);
    assert.match(stdout, /^No Pulumi CLI: not found on PATH/m);
    // CI's guard (.ci/run) looks for a line that starts with "Pulumi CLI: " and the path of the CLI on PATH.
    assert.doesNotMatch(stdout, /^Pulumi CLI: /m);
    for (const step of ["[1/3] pulumi up", "[2/3] pulumi config set bobSlackRole Rl0J", "[3/3] pulumi destroy"])
      assert.ok(stdout.includes(step), `no "${step}"`);
    assert.match(section(stdout, "after up"), /Bob Okafor\s+Slack Enterprise · Platform\s+User Admin\n/);
    assert.match(section(stdout, "after the change"), /Bob Okafor\s+Slack Enterprise · Platform\s+Security Admin\n/);
    assert.match(stdout, /~\s+bob-slack-platform\s+to be updated \(roles\)/);
    assert.doesNotMatch(section(stdout, "at the end"), /nobody holds a role in these apps/, "the seed's roles survive the destroy");
    assert.match(stdout, /Done in [\d.]+ s/);
    assert.doesNotMatch(stdout + stderr, /sbx_[0-9a-f]{32}/, "the sandbox token was printed");

    // The state the sandbox kept: the program says onDelete "restore", so of what it declares (before or after
    // the change) exactly the seed's own holdings are held, and nothing else is.
    const final = JSON.parse(await fs.readFile(stateFile, "utf8")) as SandboxState;
    const runs = [
      await runProgram({ projectDir: ROOT }),
      await runProgram({ projectDir: ROOT, config: { [DEMO_CHANGE.key]: DEMO_CHANGE.value } }),
    ];
    const declared = runs.flatMap((run) => declaredGrants(run.resources));
    assert.ok(declared.length >= 15, `only ${declared.length} declared grants`);
    const seeded = (g: (typeof declared)[number]) => isGrantHeld(defaultSeed(), g);
    assert.ok(declared.some(seeded), "the seed's holdings should be among the declared roles");
    assert.deepEqual(
      declared.filter((g) => isGrantHeld(final, g) !== seeded(g)).map((g) => `${g.resource}: ${g.label}`),
      [],
    );
    const rolesHeld = (state: SandboxState) =>
      state.users
        .filter((u) => DEMO_ACCOUNTS.includes(u.accountId))
        .flatMap((u) => u.roles.map((r) => `${u.id}/${r.id}`))
        .sort();
    assert.deepEqual(rolesHeld(final), rolesHeld(defaultSeed()), "destroy leaves these apps as the seed had them");
  });

  it("exits non-zero and lists what is still held when a step fails", async () => {
    // Bob is missing from JumpCloud, so creating bob-jumpcloud fails after alice's resources exist.
    const seed = defaultSeed();
    seed.users = seed.users.filter((u) => !(u.accountId === SEED_IDS.accounts.jumpcloud && u.id === SEED_IDS.jumpcloud.users.bob));
    const stateFile = path.join(dir, "state.json");
    await fs.writeFile(stateFile, JSON.stringify(seed));
    const { code, stdout } = await runDemo(["--state", stateFile]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAILED: create of bob-jumpcloud failed: .*user "64a1f0c2e4b0a1a1a1a1a002" .*does not exist/);
    assert.match(stdout, /FAILED: \d+ role\(s\) the demo declared are still held/);
    assert.match(stdout, /alice-slack-platform\s+U01ALICE\s+Role Admin in T0PLATFORM/);
  });

  for (const [how, args, env] of [
    ["PULUMI_E2E=required", [], { PULUMI_E2E: "required" }],
    ["--pulumi-cli=required", ["--pulumi-cli=required"], {}],
  ] as const) {
    it(`fails at once, before the sandbox starts, when the CLI is required (${how}) and not on PATH`, async () => {
      const stateFile = path.join(dir, "state.json");
      const { code, stdout } = await runDemo([...args, "--state", stateFile], env);
      assert.equal(code, 1, stdout);
      assert.ok(stdout.startsWith(`FAILED: the Pulumi CLI is required (${how}) but \`pulumi\` is not on PATH`), stdout);
      assert.doesNotMatch(stdout, /Walking the same program|Who holds what|^Pulumi CLI: /m);
      assert.ok(!existsSync(stateFile), "no sandbox was started");
    });
  }

  it("refuses an unknown option with usage and exit 2", async () => {
    const { code, stderr } = await runDemo(["--bogus"]);
    assert.equal(code, 2);
    assert.match(stderr, /Unknown option "--bogus"[^]*Usage: npm run demo/);
  });
});
