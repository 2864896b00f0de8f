import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { largePreview } from "../fixtures/preview/build";
import { loadPreview, PREVIEW_FIXTURES, readPreviewText, stepOf } from "../fixtures/preview/load";
import { runReview, type ReviewRun } from "../support/review-cli";

async function run(args: string[], stdinText?: string, tty = false): Promise<ReviewRun> {
  return runReview(args, stdinText, { tty });
}

const fixture = (name: string): string => join(PREVIEW_FIXTURES, name);

describe("review: reviewCommand", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "review-command-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the Markdown of a preview file and exits 0", async () => {
    const { code, stdout, stderr } = await run([fixture("update-roles.json")]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.ok(
      stdout.startsWith(
        "<!-- pulumi-truto-access:review access/dev -->\n### Access review: `access/dev`\n\n**2 people gain 3 roles, lose 1; ⚠ 1 privileged role granted**\n",
      ),
      stdout,
    );
    assert.ok(stdout.endsWith("\n") && !stdout.endsWith("\n\n"));
  });

  it("reads stdin for `-` and when no file is given", async () => {
    const text = readPreviewText("no-access-change.json");
    for (const args of [["-"], []]) {
      const { code, stdout } = await run(args, text);
      assert.equal(code, 0);
      assert.equal(
        stdout,
        "<!-- pulumi-truto-access:review access/dev -->\nNo access changes in this preview of `access/dev`: no role is granted, revoked or replaced; 1 other resource changes (1 update).\n",
      );
    }
  });

  it("adds the words of --privileged, in both spellings, to the default list", async () => {
    for (const args of [["--privileged", "VIEWER,nothing"], ["--privileged=viewer"]]) {
      const { code, stdout } = await run([fixture("privileged.json"), ...args]);
      assert.equal(code, 0);
      assert.ok(stdout.includes("- ➕ grants **Viewer** (`viewer`) — ⚠ privileged\n"), stdout);
      // Issue 12: `--privileged viewer` used to replace the defaults, so admin and owner roles went unflagged.
      assert.ok(stdout.includes("- ➕ grants **Administrator** (`administrator`) — ⚠ privileged\n"), stdout);
      assert.ok(stdout.includes("- ➕ grants **Org Owner** (`org_owner`) — ⚠ privileged\n"), stdout);
      assert.ok(stdout.includes("`admin`, `owner`, `superuser`, `security`, `billing`, `viewer`"), stdout);
    }
  });

  it("exits 3 with --fail-on-unknown when a RoleAssignment change is not understood, still printing the review", async () => {
    const digest = loadPreview("grants-only.json");
    digest.steps.push({ ...stepOf(digest, "jumpcloud-linus"), op: "read-discard" });
    digest.steps = digest.steps.filter((s) => !(s.urn.endsWith("::jumpcloud-linus") && s.op === "create"));
    const file = join(dir, "unknown-op.json");
    writeFileSync(file, JSON.stringify(digest));
    const failing = await run([file, "--fail-on-unknown"]);
    assert.equal(failing.code, 3, failing.stderr);
    assert.ok(failing.stdout.includes("#### ⚠ Not understood: check these by hand"), failing.stdout);
    assert.ok(failing.stderr.includes("1 RoleAssignment change is not understood"), failing.stderr);
    const lenient = await run([file]);
    assert.equal(lenient.code, 0, "without the flag the review is printed and the command succeeds");
    assert.equal(lenient.stdout, failing.stdout);
    const clean = await run([fixture("grants-only.json"), "--fail-on-unknown"]);
    assert.equal(clean.code, 0, clean.stderr);
  });

  it("prints a comment under GitHub's limit for 5,000 steps and writes the whole review to --full-report", async () => {
    const file = join(dir, "large.json");
    writeFileSync(file, JSON.stringify(largePreview({ steps: 5000, privilegedGrants: 25, revokes: 25, unknownOps: 0 })));
    const report = join(dir, "full.md");
    const { code, stdout, stderr } = await run([file, "--full-report", report, "--full-report-url", "https://example.test/run/1"]);
    assert.equal(code, 0, stderr);
    assert.ok(Buffer.byteLength(stdout) <= 60_000, `${Buffer.byteLength(stdout)} bytes of comment`);
    for (const name of ["priv-0", "priv-24", "rev-25", "rev-49"]) assert.ok(stdout.includes(`(\`${name}\`)`), name);
    assert.ok(
      stdout.includes(`the whole review is in \`${report}\` ([download it from the workflow run](https://example.test/run/1))`),
      stdout.slice(0, 1500),
    );
    const full = readFileSync(report, "utf8");
    assert.ok(full.length > 65_536 && full.includes("`plain-4999`"), "the file holds every change");
    assert.ok(full.endsWith("\n"));
  });

  it("exits 2 naming a full-report path it cannot write, before printing a comment that would name it", async () => {
    const { code, stdout, stderr } = await run([fixture("grants-only.json"), "--full-report", join(dir, "missing", "full.md")]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.ok(stderr.includes("cannot write the full report to") && stderr.includes("its directory does not exist"), stderr);
  });

  it("prints help on --help and exits 0", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(stdout.startsWith("Usage: pulumi-truto-access review [FILE|-]"), stdout);
  });

  it("exits 2 with usage for an unknown option, a missing list or two files", async () => {
    for (const args of [
      ["--json"],
      ["--privileged"],
      ["a.json", "b.json"],
      ["--full-report"],
      ["--full-report-url", "javascript:alert(1)"],
    ]) {
      const { code, stdout, stderr } = await run(args, "");
      assert.equal(code, 2, args.join(" "));
      assert.equal(stdout, "");
      assert.ok(stderr.startsWith("review: ") && stderr.includes("Usage:"), stderr);
    }
  });

  it("exits 2 naming the file it cannot read", async () => {
    const missing = join(dir, "nope.json");
    const { code, stderr } = await run([missing]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `review: cannot read ${missing}: no such file. Pass the file written by \`pulumi preview --json > preview.json\`, or \`-\` to read stdin.\n`,
    );
  });

  it("exits 2 with one clear line, not a stack trace, for JSON that is not a preview", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"steps": [{"op": "create"}]}');
    for (const [args, stdin, expected] of [
      [[bad], undefined, "steps[0].urn"],
      [["-"], '{"sequence":1,"timestamp":1}\n{"sequence":2,"timestamp":2}\n', "one JSON engine event per line"],
    ] as const) {
      const { code, stdout, stderr } = await run([...args], stdin);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.ok(stderr.includes(expected) && stderr.includes("expected the JSON printed by `pulumi preview --json`"), stderr);
      assert.equal(stderr.split("\n").filter(Boolean).length, 1, stderr);
      assert.ok(!/\n\s+at /.test(stderr), "no stack trace");
    }
  });

  it("refuses to wait on a terminal when no file is given", async () => {
    const { code, stderr } = await run([], undefined, true);
    assert.equal(code, 2);
    assert.ok(stderr.includes("no input"), stderr);
  });
});
