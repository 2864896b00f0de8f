/**
 * `export` against a real sandbox over loopback: every seeded account becomes an access.ts whose
 * assignments are exactly the access the sandbox holds, typed so a mistyped role fails tsc; JSON is the
 * same data; a rerun rewrites the files; errors name the setting and never print the token.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { exportCommand } from "../../src/cli/export-command";
import { SEED_IDS } from "../../src/sandbox";
import { grantKey, heldGrants } from "../support/e2e-access";
import { runCommand, type AssignmentLike } from "../support/live-commands";
import { useSandbox } from "../support/sandbox-fixture";

const ACCOUNTS = Object.values(SEED_IDS.accounts);
const accountArgs = (ids: readonly string[] = ACCOUNTS) => ids.flatMap((id) => ["--account", id]);

/** The grants the assignments declare, as grant keys (Slack per workspace, Elastic per organization). */
function declaredKeys(list: readonly AssignmentLike[]): string[] {
  return list
    .flatMap(({ args }) => {
      const orgs = (args.organizations as { id: string }[] | undefined)?.map((o) => o.id);
      const scopes = args.workspaceId ? [args.workspaceId as string] : (orgs ?? [""]);
      return args.roles.flatMap((r) => scopes.map((s) => grantKey(args.integratedAccountId, args.userId, r.id, s)));
    })
    .sort();
}

/** Type-checks `files` (strict) and returns the diagnostics as text, one a line. */
// The generated files import the package by name: resolve it to this checkout's build, as an install would.
const PACKAGE_TYPES = join(__dirname, "..", "..", "dist", "index.d.ts");

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
    baseUrl: ".",
    paths: { "pulumi-truto-access": [PACKAGE_TYPES] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("export: live access to a typed access map (sandbox)", function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  let dir: string;
  const env = () => ({ TRUTO_API_TOKEN: sandbox.token, TRUTO_BASE_URL: sandbox.url });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "truto-export-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("exports every seeded account: the module's assignments are exactly the access the sandbox holds", async () => {
    const run = await runCommand(exportCommand, [...accountArgs(), "--out", dir], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ["access.ts", "index.ts"], "no temporary files are left behind");
    const mod = require(join(dir, "access.ts"));
    assert.deepEqual(declaredKeys(mod.assignments()), [...heldGrants(await sandbox.admin.state())].sort());
    // Slack per workspace, Elastic per organization, JumpCloud account-wide.
    assert.deepEqual(mod.team.alice, { slackEnterprise: { platform: ["Rl0A"] } });
    assert.deepEqual(mod.team.carol, { elasticCloud: { acmeStaging: ["deployment-viewer"] } });
    assert.deepEqual(mod.team.bob, { jumpCloud: { all: ["read-only"] } });
    assert.equal(mod.slackEnterpriseRoles.channelManager, "Rl0A");
    assert.equal(mod.elasticCloudOrganizations.acmeProduction, "4201839311");
    assert.equal(mod.accounts.slackEnterprise, SEED_IDS.accounts.slackenterprise);
    assert.match(
      run.stderr,
      /export: Slack Enterprise account .*: reading role assignments of workspace T0PLATFORM/,
      "progress goes to stderr",
    );
    assert.match(run.stdout, /Exported 6 accounts, 6 people/);
  });

  it("matches people across apps by email, and keeps a user without one as a person of their own", async () => {
    const state = await sandbox.admin.state();
    for (const u of state.users) if (u.accountId === SEED_IDS.accounts.jumpcloud && u.id === SEED_IDS.jumpcloud.users.dan) u.email = "";
    await sandbox.admin.putState(state);
    assert.equal((await runCommand(exportCommand, [...accountArgs(), "--out", dir], env())).code, 0);
    const { people } = require(join(dir, "access.ts"));
    assert.deepEqual(Object.keys(people.alice.ids), [
      "slackEnterprise",
      "jumpCloud",
      "elasticCloud",
      "blackLine",
      "crowdStrike",
      "teamViewer",
    ]);
    assert.equal(people.alice.email, "alice@example.com");
    assert.equal(people.dan.ids.jumpCloud, undefined, "Dan's JumpCloud user has no email to match on");
    const danInJumpCloud = Object.entries(people as Record<string, { ids: Record<string, string> }>).filter(
      ([, p]) => p.ids.jumpCloud === SEED_IDS.jumpcloud.users.dan,
    );
    assert.equal(danInJumpCloud.length, 1);
    assert.deepEqual(Object.keys(danInJumpCloud[0]![1].ids), ["jumpCloud"]);
  });

  it("reads every page: 250 more users and their roles are all exported", async () => {
    const state = await sandbox.admin.state();
    for (let i = 0; i < 250; i++) {
      state.users.push({
        accountId: SEED_IDS.accounts.jumpcloud,
        id: `jc-extra-${i}`,
        name: `Extra ${i}`,
        email: `extra${i}@example.com`,
        status: "active",
        roles: i % 50 === 0 ? [{ id: "manager" }] : [],
      });
    }
    await sandbox.admin.putState(state);
    assert.equal((await runCommand(exportCommand, [...accountArgs([SEED_IDS.accounts.jumpcloud]), "--out", dir], env())).code, 0);
    const mod = require(join(dir, "access.ts"));
    assert.equal(Object.keys(mod.people).length, 256);
    assert.equal(mod.team.extra1, undefined, "a person who holds nothing is in people, not in team");
    assert.deepEqual(mod.team.extra200, { jumpCloud: { all: ["manager"] } });
    assert.deepEqual(
      declaredKeys(mod.assignments()),
      [...heldGrants(await sandbox.admin.state())].filter((k) => k.startsWith(SEED_IDS.accounts.jumpcloud)).sort(),
    );
  });

  it("generates a module that type-checks, where a mistyped role constant or role id is a tsc error", async () => {
    assert.equal((await runCommand(exportCommand, [...accountArgs(), "--out", dir], env())).code, 0);
    const access = join(dir, "access.ts");
    const good = join(dir, "good.ts");
    writeFileSync(
      good,
      `import { slackEnterpriseRoles, type Team, assignments } from "./access";\nexport const t: Team = { alice: { slackEnterprise: { sales: [slackEnterpriseRoles.securityAdmin] } } };\nexport const n = assignments(t).length;\n`,
    );
    assert.deepEqual(typeErrors([access, good, join(dir, "index.ts")]), [], "the module and the program written beside it compile");
    const typo = join(dir, "typo.ts");
    writeFileSync(
      typo,
      `import { slackEnterpriseRoles } from "./access";\nexport const role: string = slackEnterpriseRoles.chanelManager;\n`,
    );
    const errors = typeErrors([typo]);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0]!, /^2551: Property 'chanelManager' does not exist .* Did you mean 'channelManager'\?/s);
    const badId = join(dir, "bad-id.ts");
    writeFileSync(
      badId,
      `import type { Team } from "./access";\nexport const t: Team = { alice: { slackEnterprise: { platform: ["Rl0Z"] } } };\n`,
    );
    assert.match(typeErrors([badId]).join("\n"), /"Rl0Z"/);
  });

  it("writes the same data as JSON with --format json", async () => {
    assert.equal((await runCommand(exportCommand, [...accountArgs(), "--out", dir, "--format", "json"], env())).code, 0);
    assert.deepEqual(readdirSync(dir), ["access.json"]);
    const json = JSON.parse(readFileSync(join(dir, "access.json"), "utf8"));
    assert.equal(json.apps.slackEnterprise.roles.channelManager, "Rl0A");
    assert.equal(json.apps.slackEnterprise.scopes.platform, "T0PLATFORM");
    assert.deepEqual(json.team.alice, { slackEnterprise: { platform: ["Rl0A"] } });
    assert.equal(json.people.owner.name, "Morgan Lee");
  });

  it("rewrites the module on a rerun, leaves an existing index.ts alone, and reflects access changed in between", async () => {
    const args = [...accountArgs(), "--out", dir];
    assert.equal((await runCommand(exportCommand, args, env())).code, 0);
    const first = readFileSync(join(dir, "access.ts"), "utf8");
    writeFileSync(join(dir, "index.ts"), "// mine\n");
    const again = await runCommand(exportCommand, args, env());
    assert.equal(again.code, 0);
    assert.equal(readFileSync(join(dir, "access.ts"), "utf8"), first, "the same access exports the same file");
    assert.equal(readFileSync(join(dir, "index.ts"), "utf8"), "// mine\n");
    assert.match(again.stdout, /kept your index\.ts/);
    const state = await sandbox.admin.state();
    state.users.find((u) => u.id === SEED_IDS.jumpcloud.users.erin)!.roles.push({ id: "help-desk" });
    await sandbox.admin.putState(state);
    assert.equal((await runCommand(exportCommand, args, env())).code, 0);
    const text = readFileSync(join(dir, "access.ts"), "utf8");
    assert.match(text, /erin: \{\n {4}jumpCloud: \{\n {6}all: \[jumpCloudRoles\.helpDesk\],/);
    assert.equal(text.match(/^export const team: /gm)?.length, 1, "one team map, not two");
  });

  it("fails with exit 2 naming TRUTO_API_TOKEN when there is no token, and writes nothing", async () => {
    const run = await runCommand(exportCommand, [...accountArgs(), "--out", dir], { TRUTO_BASE_URL: sandbox.url });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /TRUTO_API_TOKEN/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it("fails with exit 1 on a rejected token, without printing it, and leaves the previous export", async () => {
    assert.equal((await runCommand(exportCommand, [...accountArgs(), "--out", dir], env())).code, 0);
    const before = readFileSync(join(dir, "access.ts"), "utf8");
    const wrong = "wrong-token-0123456789abcdef";
    const run = await runCommand(exportCommand, [...accountArgs(), "--out", dir], { TRUTO_API_TOKEN: wrong, TRUTO_BASE_URL: sandbox.url });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /TRUTO_UNAUTHORIZED|401/);
    assert.ok(!run.stderr.includes(wrong) && !run.stdout.includes(wrong), "the token is never printed");
    assert.equal(readFileSync(join(dir, "access.ts"), "utf8"), before);
  });

  it("refuses bad usage with exit 2: no account, an unknown format, an unknown option", async () => {
    for (const args of [
      ["--out", dir],
      ["--account", ACCOUNTS[0]!, "--format", "yaml"],
      ["--account", ACCOUNTS[0]!, "--verbose"],
    ]) {
      const run = await runCommand(exportCommand, args, env());
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.stderr, /Usage: pulumi-truto-access export/);
    }
    assert.ok(!existsSync(join(dir, "access.ts")));
  });
});
