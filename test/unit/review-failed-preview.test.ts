/**
 * A preview that failed gets a "preview failed" comment instead of a review: the marker and the stack,
 * the errors it reported (redacted), or what the CLI printed instead of JSON; the command exits 5. The
 * failing preview is real: test/fixtures/preview/real/failed-check.json, where the provider's check
 * refuses an input (written by `npm run fixtures:preview`).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAILED_TITLE, renderFailure, reviewJson, reviewPreviewJson, reviewPreviewText } from "../../src/review";
import { PREVIEW_FIXTURES, readPreviewText } from "../fixtures/preview/load";
import { runReview } from "../support/review-cli";

const REAL = join(PREVIEW_FIXTURES, "real", "failed-check.json");
const realFailed = (): { diagnostics: { urn?: string; message: string; severity: string }[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(REAL, "utf8"));
const MARKER = "<!-- pulumi-truto-access:review truto-e2e-assignments/fixtures -->";
const CHECK_ERROR =
  "pulumi-nodejs:dynamic/truto:RoleAssignment resource 'frank-jumpcloud': property integratedAccountId value {acct-frank} has a problem: must be the integrated account's UUID";

describe("review: a failed preview", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "review-failed-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the real CLI's failed check as a failure naming the resource, its error and the stack", () => {
    const outcome = reviewPreviewJson(realFailed());
    assert.equal(outcome.kind, "failed");
    if (outcome.kind !== "failed") return;
    assert.equal(outcome.failure.reason, "errors");
    assert.deepEqual(outcome.failure.target, { project: "truto-e2e-assignments", stack: "fixtures" });
    assert.equal(outcome.failure.errorCount, 1, "the warning diagnostic is not an error");
    assert.equal(outcome.failure.errors[0]?.resource, "frank-jumpcloud");
    assert.ok(outcome.failure.errors[0]?.message.startsWith(CHECK_ERROR), outcome.failure.errors[0]?.message);
    const md = renderFailure(outcome.failure);
    const lines = md.split("\n");
    assert.equal(lines[0], MARKER);
    assert.equal(lines[1], FAILED_TITLE);
    assert.ok(lines[3]?.startsWith("**Stack `truto-e2e-assignments/fixtures`:** `pulumi preview` reported errors"), lines[3]);
    assert.ok(md.includes(`- \`frank-jumpcloud\`:\n\n  \`\`\`text\n  ${CHECK_ERROR}`), md);
    assert.ok(!md.includes("error: pulumi-nodejs"), "the engine's prefix is dropped");
  });

  it("exits 5 on the real failed preview and prints the comment with the error, also to --full-report", async () => {
    const report = join(dir, "full.md");
    const { code, stdout, stderr } = await runReview([REAL, "--full-report", report]);
    assert.equal(code, 5, stderr);
    assert.ok(stdout.startsWith(`${MARKER}\n${FAILED_TITLE}\n`), stdout);
    assert.ok(stdout.includes(CHECK_ERROR), stdout);
    assert.ok(stderr.includes("the preview reported 1 error"), stderr);
    assert.equal(readFileSync(report, "utf8"), stdout, "the workflow's artifact upload finds the file");
  });

  it("redacts tokens in the errors it quotes: by value from the environment, after a scheme or key, and by shape", async () => {
    const json = realFailed();
    // Fakes in the shapes real tokens have, built here so that no literal in the repository looks like a credential.
    const filler = (n: number) => "FAKE0token1for2tests3".repeat(4).slice(0, n);
    const b64url = (text: string) => Buffer.from(text).toString("base64url");
    const secrets = {
      env: `trt_live_${filler(20)}`,
      bearer: Buffer.from(`fake-bearer-${filler(12)}`).toString("base64"),
      github: `ghp_${filler(36)}`,
      jwt: `${b64url('{"alg":"none"}')}.${b64url('{"sub":"fake-user"}')}.${b64url(filler(32))}`,
    };
    json.diagnostics.push({
      urn: json.diagnostics[1]?.urn,
      severity: "error",
      message: `error: Truto answered 401 for token ${secrets.env}; sent Authorization: Bearer ${secrets.bearer}, GH ${secrets.github}, session ${secrets.jwt}\n`,
    });
    const file = join(dir, "leaky.json");
    writeFileSync(file, JSON.stringify(json));
    for (const format of ["markdown", "json"]) {
      const { code, stdout } = await runReview([file, "--format", format], undefined, { env: { TRUTO_API_TOKEN: secrets.env } });
      assert.equal(code, 5);
      for (const [what, secret] of Object.entries(secrets)) assert.ok(!stdout.includes(secret), `${format}: the ${what} token is printed`);
      assert.ok(stdout.includes("Truto answered 401 for token [redacted]; sent Authorization: Bearer [redacted]"), stdout);
    }
  });

  it("exits 5 with a failure comment on empty input, naming the stack the flags give", async () => {
    const bare = await runReview(["-"], "  \n");
    assert.equal(bare.code, 5);
    assert.ok(bare.stdout.startsWith(`<!-- pulumi-truto-access:review -->\n${FAILED_TITLE}\n`), bare.stdout);
    assert.ok(bare.stdout.includes("`pulumi preview --json` printed nothing"), bare.stdout);
    const named = await runReview(["--project", "access", "--stack", "prod"], "");
    assert.equal(named.code, 5);
    assert.ok(named.stdout.startsWith("<!-- pulumi-truto-access:review access/prod -->\n"), named.stdout);
    assert.ok(named.stdout.includes("**Stack `access/prod`:**"), named.stdout);
  });

  it("exits 5 quoting what the CLI printed instead of JSON, and on `{}`", async () => {
    const text = "error: no stack named 'prod' found\n";
    const { code, stdout } = await runReview(["--stack", "prod"], text);
    assert.equal(code, 5);
    assert.ok(stdout.startsWith("<!-- pulumi-truto-access:review prod -->\n"), stdout);
    assert.ok(stdout.includes("#### What it printed\n\n```text\nerror: no stack named 'prod' found\n```"), stdout);
    const empty = await runReview([], "{}");
    assert.equal(empty.code, 5);
    assert.ok(empty.stdout.includes("planned no step"), empty.stdout);
  });

  it("exits 5 on a digest whose program failed, with no RoleAssignment step at all", async () => {
    const outcome = reviewPreviewText(readPreviewText("failed-preview.json"), "failed-preview.json");
    assert.equal(outcome.kind, "failed");
    const { code, stdout } = await runReview([join(PREVIEW_FIXTURES, "failed-preview.json")]);
    assert.equal(code, 5);
    assert.ok(stdout.startsWith("<!-- pulumi-truto-access:review access/dev -->\n"), stdout);
    assert.ok(stdout.includes("Error: missing required configuration variable 'truto:apiToken'"), stdout);
  });

  it("prints a failure as JSON with --format json: status, marker, stack and errors", async () => {
    const { code, stdout } = await runReview([REAL, "--format", "json"]);
    assert.equal(code, 5);
    const doc = JSON.parse(stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.status, "preview-failed");
    assert.equal(doc.marker, MARKER);
    assert.deepEqual([doc.project, doc.stack], ["truto-e2e-assignments", "fixtures"]);
    assert.equal(doc.failure.reason, "errors");
    assert.equal(doc.errors[0].resource, "frank-jumpcloud");
    assert.ok(doc.errors[0].message.startsWith(CHECK_ERROR));
    assert.deepEqual([doc.totals, doc.sections], [null, []]);
    assert.deepEqual(
      Object.keys(doc),
      Object.keys(reviewJson(reviewPreviewText(readPreviewText("grants-only.json"), "x"))),
      "the same keys as a review",
    );
  });

  it("still exits 2, printing nothing, for JSON of another Pulumi format", async () => {
    const { code, stdout } = await runReview([], '{"sequence":1,"timestamp":1}\n');
    assert.equal(code, 2);
    assert.equal(stdout, "");
  });
});
