/**
 * What the review prints for a workflow and for tools, on the real CLI's preview JSON
 * (test/fixtures/preview/real): the marker and the stack, people by name or as new users, `--format
 * json`, `--privileged-only`, `--fail-on-privileged`, and moves and expiries in both formats.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderComment, reviewJson, reviewMarker, reviewPreviewJson, type ReviewJson } from "../../src/review";
import { assignmentStep, digestOf, jumpcloud } from "../fixtures/preview/build";
import { PREVIEW_FIXTURES } from "../fixtures/preview/load";
import { runReview } from "../support/review-cli";

const real = (name: string): string => join(PREVIEW_FIXTURES, "real", `${name}.json`);
const fixture = (name: string): string => join(PREVIEW_FIXTURES, name);
const MARKER = "<!-- pulumi-truto-access:review truto-e2e-assignments/fixtures -->";

async function json(args: string[]): Promise<{ code: number; doc: ReviewJson }> {
  const { code, stdout, stderr } = await runReview([...args, "--format", "json"]);
  assert.equal(stderr.includes("unexpected"), false, stderr);
  return { code, doc: JSON.parse(stdout) as ReviewJson };
}

describe("review: the comment and the JSON for workflows and tools", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "review-outputs-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("marker, project and stack", () => {
    it("starts the comment with the marker and names the stack of the URNs in the title", async () => {
      for (const name of ["plain", "diff", "replacement-steps", "sames"]) {
        const { code, stdout } = await runReview([real(name)]);
        assert.equal(code, 0, name);
        assert.ok(
          stdout.startsWith(`${MARKER}\n### Access review: \`truto-e2e-assignments/fixtures\`\n`),
          `${name}: ${stdout.slice(0, 200)}`,
        );
      }
    });

    it("takes --project and --stack over the URNs, and refuses names that are not Pulumi names", async () => {
      const { stdout } = await runReview([real("plain"), "--project", "access", "--stack", "prod"]);
      assert.ok(
        stdout.startsWith("<!-- pulumi-truto-access:review access/prod -->\n### Access review: `access/prod`\n"),
        stdout.slice(0, 200),
      );
      for (const bad of [
        ["--stack", "a -->b"],
        ["--project", ""],
      ]) {
        const { code, stdout: out } = await runReview([real("plain"), ...bad]);
        assert.equal(code, 2, bad.join(" "));
        assert.equal(out, "");
      }
    });

    it("keeps the marker one plain HTML comment whatever the names hold", () => {
      // Without `>` nothing can end the comment early (`-->`, `--!>`); the name's own characters stay.
      assert.equal(reviewMarker({ project: "acc--ess>", stack: "dev <b>" }), "<!-- pulumi-truto-access:review acc--ess/devb -->");
      assert.equal(reviewMarker({}), "<!-- pulumi-truto-access:review -->");
    });

    it("counts the marker in the comment budget", () => {
      const outcome = reviewPreviewJson(JSON.parse(JSON.stringify(require(real("plain")))));
      assert.equal(outcome.kind, "review");
      if (outcome.kind !== "review") return;
      const comment = renderComment(outcome.review, { target: outcome.target, budget: 700 });
      assert.equal(comment.shortened, true);
      assert.ok(Buffer.byteLength(comment.markdown) <= 700, `${Buffer.byteLength(comment.markdown)} bytes`);
      assert.ok(comment.markdown.startsWith(`${MARKER}\n### Access review: \`truto-e2e-assignments/fixtures\`\n`), comment.markdown);
    });
  });

  describe("people", () => {
    it("names people the old states know, and shows users only a create knows as new", async () => {
      const { stdout } = await runReview([real("plain")]);
      assert.ok(stdout.includes("#### Alice Nguyen (`alice@example.com`) · JumpCloud\n- ➕ grants **Help Desk** (`help-desk`)"), stdout);
      assert.ok(stdout.includes("#### Carol Diaz (`carol@example.com`) · JumpCloud\n- ➖ revokes **Manager** (`manager`)"), stdout);
      assert.ok(stdout.includes("#### `64a1f0c2e4b0a1a1a1a1a005` (new user) · JumpCloud\n- ➕ grants **Read Only** (`read-only`)"), stdout);
      assert.ok(stdout.includes("the assignment moves to `U03CAROL` (new user) · Slack Enterprise"), stdout);
      assert.ok(!stdout.includes("user `64a1f0c2e4b0a1a1a1a1a001`"), "Alice is never shown by her id alone");
    });

    it("gives each person's label, name, e-mail and newness in the JSON", async () => {
      const { doc } = await json([real("plain")]);
      const people = doc.sections.map((s) => [s.person.label, s.person.email, s.person.isNew]);
      assert.deepEqual(
        people.find((p) => p[0] === "Alice Nguyen (alice@example.com)"),
        ["Alice Nguyen (alice@example.com)", "alice@example.com", false],
      );
      assert.deepEqual(
        people.find((p) => p[0] === "64a1f0c2e4b0a1a1a1a1a005 (new user)"),
        ["64a1f0c2e4b0a1a1a1a1a005 (new user)", null, true],
      );
    });
  });

  describe("--format json", () => {
    it("gives the totals, sections, grants and revokes, replacements and privileged grants of the real preview", async () => {
      const { code, doc } = await json([real("plain")]);
      assert.equal(code, 0);
      assert.equal(doc.version, 1);
      assert.equal(doc.status, "ok");
      assert.equal(doc.marker, MARKER);
      assert.deepEqual([doc.project, doc.stack], ["truto-e2e-assignments", "fixtures"]);
      assert.deepEqual(
        [doc.totals?.granted, doc.totals?.revoked, doc.totals?.replacements, doc.totals?.privilegedGranted, doc.totals?.unknown],
        [4, 3, 2, 2, 1],
      );
      const alice = doc.sections.find((s) => s.person.userId === "64a1f0c2e4b0a1a1a1a1a001");
      assert.deepEqual(
        alice?.granted.map((g) => [g.resource, g.cause, g.role.id, g.role.privileged]),
        [["alice-jumpcloud", "update", "help-desk", true]],
      );
      assert.deepEqual(alice?.app, {
        label: "JumpCloud",
        integration: "jumpcloud",
        integratedAccountId: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02",
        hidden: null,
      });
      assert.deepEqual(doc.privilegedGrants.map((g) => [g.role.id, g.resource]).sort(), [
        ["Rl03", "lead-slack"],
        ["help-desk", "alice-jumpcloud"],
      ]);
      assert.deepEqual(
        (doc.replacements as { resource: string; order: string }[]).map((r) => [r.resource, r.order]),
        [
          ["dan-elastic", "delete-before-create"],
          ["lead-slack", "create-before-delete"],
        ],
      );
      assert.deepEqual(doc.errors, []);
      assert.equal(doc.failure, null);
      assert.ok(!JSON.stringify(doc).includes("__provider") && !JSON.stringify(doc).includes("urn:pulumi"), "no provider code, no URNs");
    });

    it("is the same document with and without --show-replacement-steps", async () => {
      assert.deepEqual((await json([real("replacement-steps")])).doc, (await json([real("plain")])).doc);
    });

    it("lists moves and expiries, as the comment does", () => {
      const NOW = Date.parse("2026-12-01T12:00:00Z");
      const roles = [{ id: "5f0c9a7e2b1d4c3a8e6f0b11", name: "Administrator" }];
      const digest = digestOf([
        assignmentStep("create", "alice-jumpcloud", { new: jumpcloud("65a1c0ffee00000000000c03", roles) }),
        assignmentStep("delete", "alice-jc", { old: jumpcloud("65a1c0ffee00000000000c03", roles) }),
        assignmentStep("create", "bob-soon", {
          new: jumpcloud("65a1c0ffee00000000000b0b", [{ id: "help-desk", expiresAt: "2026-12-03T12:00:00Z" }]),
        }),
        assignmentStep("update", "eve-late", {
          old: jumpcloud("65a1c0ffee00000000000e0e", [{ id: "read-only" }, { id: "manager", expiresAt: "2026-11-30T12:00:00Z" }]),
          new: jumpcloud("65a1c0ffee00000000000e0e", [
            { id: "read-only", expiresAt: "2026-12-20T00:00:00Z" },
            { id: "manager", expiresAt: "2026-11-30T12:00:00Z" },
          ]),
        }),
      ]);
      const outcome = reviewPreviewJson(digest, { now: NOW });
      assert.equal(outcome.kind, "review");
      if (outcome.kind !== "review") return;
      const md = renderComment(outcome.review, { target: outcome.target }).markdown;
      assert.match(md, /moves from `alice-jc` to `alice-jumpcloud`: no change in access/);
      assert.match(md, /grants \*\*Help Desk\*\* \(`help-desk`\) — ⚠ privileged — expires in 2 days \(`2026-12-03T12:00:00Z`\)/);
      assert.match(md, /revokes \*\*Manager\*\* \(`manager`\) — ⚠ privileged — expired: revoked at the next `pulumi up`/);
      assert.match(
        md,
        /#### Expiry changes\n- ⏱ .*\*\*Read Only\*\* \(`read-only`\) no expiry → until `2026-12-20T00:00:00Z` \(`eve-late`\)/,
      );
      const doc = reviewJson(outcome);
      assert.deepEqual(
        (doc.moves as { from: string; to: string; sameAssignment: boolean }[]).map((m) => [m.from, m.to, m.sameAssignment]),
        [["alice-jc", "alice-jumpcloud", true]],
      );
      assert.deepEqual(doc.expiries.roles.map((e) => [e.resource, e.role.id, e.state, e.inDays]).sort(), [
        ["bob-soon", "help-desk", "expiring", 2],
        ["eve-late", "manager", "expired", null],
      ]);
      assert.deepEqual(
        (doc.expiries.edits as { resource: string; from: string | null; to: string | null }[]).map((e) => [e.resource, e.from, e.to]),
        [["eve-late", null, "2026-12-20T00:00:00Z"]],
      );
    });

    it("exits 2 for a format it does not know", async () => {
      const { code, stderr } = await runReview([real("plain"), "--format", "yaml"]);
      assert.equal(code, 2);
      assert.ok(stderr.includes("--format needs markdown or json"), stderr);
    });
  });

  describe("privileged roles", () => {
    it("--privileged-only replaces the default words, while --privileged adds to them", async () => {
      const only = await json([fixture("privileged.json"), "--privileged-only", "SuperUser"]);
      const flagged = (doc: ReviewJson) => doc.privilegedGrants.map((g) => g.role.id).sort();
      // administrator is privileged by JumpCloud's role table, whatever the words; the others only by a default word.
      assert.deepEqual(flagged(only.doc), ["administrator", "su"]);
      assert.deepEqual(only.doc.privilegedWords, ["superuser"]);
      const added = await json([fixture("privileged.json"), "--privileged", "viewer"]);
      assert.deepEqual(flagged(added.doc), ["administrator", "bm", "org_owner", "sec-rev", "su", "viewer"]);
      const { stdout } = await runReview([fixture("privileged.json"), "--privileged-only", "superuser"]);
      assert.ok(stdout.includes("- ➕ grants **Org Owner** (`org_owner`)\n"), "org_owner is no longer flagged");
      assert.ok(stdout.includes("contains one of `superuser` ("), stdout);
      const none = await runReview([fixture("privileged.json"), "--privileged-only", ""]);
      assert.ok(none.stdout.includes("⚠ privileged: the app's role table lists the role's id as privileged.\n"), none.stdout);
    });

    it("--fail-on-privileged exits 6 when a privileged role is granted, still printing the review", async () => {
      const failing = await runReview([real("plain"), "--fail-on-privileged"]);
      assert.equal(failing.code, 6);
      assert.ok(failing.stdout.startsWith(MARKER) && failing.stdout.includes("— ⚠ privileged"), failing.stdout);
      assert.ok(failing.stderr.includes("2 privileged roles are granted"), failing.stderr);
      const asJson = await json([real("plain"), "--fail-on-privileged"]);
      assert.equal(asJson.code, 6);
      // Revoking a privileged role is not granting one.
      const revokeOnly = join(dir, "revoke-admin.json");
      writeFileSync(
        revokeOnly,
        JSON.stringify(
          digestOf([assignmentStep("delete", "gone", { old: jumpcloud("65a1c0ffee00000000000c03", [{ id: "administrator" }]) })]),
        ),
      );
      assert.equal((await runReview([revokeOnly, "--fail-on-privileged"])).code, 0);
      assert.equal((await runReview([fixture("grants-only.json"), "--fail-on-privileged"])).code, 0);
    });

    it("returns the lowest exit code when several policies fail", async () => {
      const { code } = await runReview([real("plain"), "--fail-on-privileged", "--require-expiry-for-privileged"]);
      assert.equal(code, 4);
    });
  });
});
