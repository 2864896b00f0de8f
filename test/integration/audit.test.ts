/**
 * `audit` against a real sandbox over loopback, with a stack export built from an export of the same
 * sandbox (what `pulumi up` of the generated program records): nothing to report when live access is what
 * the stack declares; a role granted out of band through the admin API, privileged first; drift when a
 * declared role is revoked around the stack; JSON; --fail-on exit codes; input errors.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditCommand } from "../../src/cli/audit-command";
import { exportCommand } from "../../src/cli/export-command";
import { SEED_IDS } from "../../src/sandbox";
import { runCommand, stackExportOf, type AssignmentLike } from "../support/live-commands";
import { useSandbox } from "../support/sandbox-fixture";

const ACCOUNTS = Object.values(SEED_IDS.accounts);
const SLACK = SEED_IDS.accounts.slackenterprise;
const JUMPCLOUD = SEED_IDS.accounts.jumpcloud;

describe("audit: live access against a stack export (sandbox)", function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  let dir: string;
  let assignments: AssignmentLike[];
  const env = () => ({ TRUTO_API_TOKEN: sandbox.token, TRUTO_BASE_URL: sandbox.url });
  const audit = (args: string[], stack: unknown = stackExportOf(assignments)) =>
    runCommand(auditCommand, ["-", ...args], env(), JSON.stringify(stack));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "truto-audit-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    // The stack: every seeded account exported, as `pulumi up` of the generated program would record it.
    const run = await runCommand(exportCommand, [...ACCOUNTS.flatMap((id) => ["--account", id]), "--out", dir], env());
    assert.equal(run.code, 0, run.stderr);
    delete require.cache[require.resolve(join(dir, "access.ts"))];
    assignments = require(join(dir, "access.ts")).assignments();
  });

  /** Grants `roleId` to a user through the sandbox's admin API, outside any stack. */
  async function grantOutOfBand(accountId: string, userId: string, role: { id: string; workspace?: string }): Promise<void> {
    const state = await sandbox.admin.state();
    state.users.find((u) => u.accountId === accountId && u.id === userId)!.roles.push(role);
    await sandbox.admin.putState(state);
  }

  it("reports nothing when live access is exactly what the stack declares, and --fail-on any exits 0", async () => {
    const run = await audit(["--fail-on", "any"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^## Access audit/);
    assert.match(run.stdout, /No out-of-band roles and no drift/);
    assert.match(run.stdout, /compared with 11 RoleAssignments/);
    assert.match(run.stderr, /audit: account 6\/6/, "progress on stderr");
  });

  it("finds roles granted out of band, privileged first, and --fail-on out-of-band exits 3", async () => {
    await grantOutOfBand(JUMPCLOUD, SEED_IDS.jumpcloud.users.erin, { id: "read-only" });
    await grantOutOfBand(SLACK, SEED_IDS.slackenterprise.users.erin, { id: "Rl0J", workspace: "T0SALES" });
    const run = await audit([]);
    assert.equal(run.code, 0, "no --fail-on: findings are reported, not failed on");
    const rows = run.stdout
      .split("\n")
      .filter((l) => (l.startsWith("| ") && l.includes("U05ERIN")) || l.includes("64a1f0c2e4b0a1a1a1a1a005"));
    assert.equal(rows.length, 2, run.stdout);
    assert.match(
      rows[0]!,
      /\*\*privileged\*\* \| Erin Walsh · erin@example\.com · `U05ERIN` \| Slack Enterprise .* \| Sales `T0SALES` \| Security Admin `Rl0J` \| none \|/,
    );
    assert.match(rows[1]!, /^\|  \| Erin Walsh .* JumpCloud .* account-wide \| Read Only `read-only` \| none \|/);
    assert.match(run.stdout, /\*\*2 out-of-band roles\*\* \(1 privileged\), \*\*0 drifted roles\*\*/);
    assert.equal((await audit(["--fail-on", "out-of-band"])).code, 3);
    assert.equal((await audit(["--fail-on", "any"])).code, 3);
    assert.equal((await audit(["--fail-on", "drift"])).code, 0);
  });

  it("names the resource managing the user and scope of an out-of-band role", async () => {
    await grantOutOfBand(SLACK, SEED_IDS.slackenterprise.users.alice, { id: "Rl0C", workspace: "T0PLATFORM" });
    const json = JSON.parse((await audit(["--format", "json"])).stdout);
    assert.equal(json.outOfBand.length, 1);
    assert.deepEqual(
      {
        role: json.outOfBand[0].roleId,
        scope: json.outOfBand[0].scope,
        privileged: json.outOfBand[0].privileged,
        resource: json.outOfBand[0].resource,
      },
      { role: "Rl0C", scope: "T0PLATFORM", privileged: true, resource: "alice-slackEnterprise-platform" },
    );
  });

  it("finds drift when a declared role is revoked around the stack, and --fail-on drift exits 3", async () => {
    const state = await sandbox.admin.state();
    state.users.find((u) => u.accountId === SLACK && u.id === SEED_IDS.slackenterprise.users.alice)!.roles = [];
    await sandbox.admin.putState(state);
    const run = await audit(["--fail-on", "drift"]);
    assert.equal(run.code, 3);
    assert.match(run.stdout, /### Drift: declared, but no longer held/);
    assert.match(run.stdout, /Alice Nguyen .* Platform `T0PLATFORM` \| Channel Manager `Rl0A` \| `alice-slackEnterprise-platform` \|/);
    assert.match(run.stderr, /failing because of --fail-on drift/);
    assert.equal((await audit(["--fail-on", "out-of-band"])).code, 0);
  });

  it("prints the findings as JSON with --format json", async () => {
    await grantOutOfBand(JUMPCLOUD, SEED_IDS.jumpcloud.users.carol, { id: "administrator" });
    const run = await audit(["--format", "json"]);
    assert.equal(run.code, 0);
    const json = JSON.parse(run.stdout);
    assert.deepEqual(json.totals, {
      accounts: 6,
      resources: 11,
      declaredRoles: 23,
      outOfBand: 1,
      privilegedOutOfBand: 1,
      drift: 0,
      unreadable: 0,
    });
    assert.equal(json.outOfBand[0].userId, SEED_IDS.jumpcloud.users.carol);
    assert.equal(json.outOfBand[0].kind, "out-of-band");
  });

  it("audits the accounts the stack names plus --account; roles nobody declares in an extra account are out of band", async () => {
    const slackOnly = assignments.filter((a) => a.args.integratedAccountId === SLACK);
    const withoutExtra = JSON.parse((await audit(["--format", "json"], stackExportOf(slackOnly))).stdout);
    assert.deepEqual(
      withoutExtra.accounts.map((a: { integratedAccountId: string }) => a.integratedAccountId),
      [SLACK],
    );
    assert.equal(withoutExtra.outOfBand.length, 0);
    const withExtra = JSON.parse((await audit(["--format", "json", "--account", JUMPCLOUD], stackExportOf(slackOnly))).stdout);
    assert.deepEqual(
      withExtra.outOfBand.map((f: { userId: string; roleId: string }) => `${f.userId}/${f.roleId}`).sort(),
      [`${SEED_IDS.jumpcloud.users.owner}/administrator`, `${SEED_IDS.jumpcloud.users.bob}/read-only`].sort(),
    );
  });

  it("treats a held role the stack declares as expired as out of band", async () => {
    const stack = stackExportOf(assignments) as { deployment: { resources: { urn: string; outputs: Record<string, unknown> }[] } };
    const bob = stack.deployment.resources.find((r) => r.urn.endsWith("::bob-jumpCloud-all"))!;
    bob.outputs.expiredRoles = [{ id: "read-only", expiredAt: "2026-01-01T00:00:00.000Z" }];
    bob.outputs.activeRoles = [];
    const json = JSON.parse((await audit(["--format", "json"], stack)).stdout);
    assert.equal(json.outOfBand.length, 1);
    assert.equal(json.outOfBand[0].expired, true);
  });

  it("refuses input that is not a stack export with exit 2, and names what to pass", async () => {
    const notJson = await runCommand(auditCommand, ["-"], env(), "nope");
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /stdin is not JSON .*pulumi stack export/);
    const notExport = await runCommand(auditCommand, ["-"], env(), JSON.stringify({ steps: [] }));
    assert.equal(notExport.code, 2);
    assert.match(notExport.stderr, /not a stack export/);
    const missing = await runCommand(auditCommand, [join(dir, "missing.json")], env());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.json: no such file/);
    const empty = await runCommand(auditCommand, ["-"], env(), JSON.stringify({ deployment: { resources: [] } }));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /nothing to audit/);
    const badFailOn = await runCommand(auditCommand, ["--fail-on", "sometimes"], env(), "{}");
    assert.equal(badFailOn.code, 2);
    assert.match(badFailOn.stderr, /--fail-on must be one of out-of-band, drift, any/);
  });

  it("reads the stack export from a file, and never prints a rejected token", async () => {
    const file = join(dir, "stack.json");
    writeFileSync(file, JSON.stringify(stackExportOf(assignments)));
    const wrong = "wrong-token-fedcba9876543210";
    const run = await runCommand(auditCommand, [file], { TRUTO_API_TOKEN: wrong, TRUTO_BASE_URL: sandbox.url });
    assert.equal(run.code, 1);
    assert.ok(!run.stderr.includes(wrong) && !run.stdout.includes(wrong));
    assert.equal((await runCommand(auditCommand, [file], env())).code, 0);
  });
});
