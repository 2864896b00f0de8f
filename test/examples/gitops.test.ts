/** examples/gitops: the workflow previews and reviews on pull requests, applies on main, and keeps the token in env. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { exampleDir } from "./example-support";

const WORKFLOW = readFileSync(path.join(exampleDir("gitops"), ".github", "workflows", "access.yml"), "utf8");

/** The text of one job, from its `  name:` line to the next job or the end. */
function job(name: string): string {
  const start = WORKFLOW.indexOf(`\n  ${name}:\n`);
  assert.ok(start >= 0, `no job "${name}"`);
  const rest = WORKFLOW.slice(start + 1);
  const next = rest.slice(1).search(/\n  [a-z-]+:\n/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

describe("examples/gitops workflow", () => {
  it("uses tabs nowhere (YAML forbids them for indentation)", () => {
    assert.ok(!WORKFLOW.includes("\t"));
  });

  it("on pull_request: previews as JSON, reviews it with the package's CLI, and posts the Markdown", () => {
    const preview = job("preview");
    assert.match(preview, /if: github\.event_name == 'pull_request'/);
    assert.match(preview, /uses: pulumi\/actions@v6/);
    assert.match(preview, /pulumi preview --stack "\$PULUMI_STACK" --json > preview\.json/);
    assert.match(preview, /npx pulumi-truto-access review preview\.json > access-review\.md/);
    assert.match(preview, /marocchino\/sticky-pull-request-comment@v2[^]*path: access-review\.md/);
    assert.match(preview, /pull-requests: write/);
  });

  it("on push to main: runs pulumi up --yes, one at a time", () => {
    const up = job("up");
    assert.match(up, /if: \(github\.event_name == 'push' \|\| github\.event_name == 'schedule'\) && github\.ref == 'refs\/heads\/main'/);
    assert.match(up, /pulumi up --yes --stack "\$PULUMI_STACK"/);
    assert.match(up, /cancel-in-progress: false/);
  });

  it("every hour, on main: runs the same pulumi up, so expired roles are revoked without a push", () => {
    assert.match(WORKFLOW, /\n  schedule:\n    - cron: "\d{1,2} \* \* \* \*"\n/, "an hourly cron trigger");
    const up = job("up");
    assert.match(up, /pulumi up --yes --stack "\$PULUMI_STACK"/);
    assert.match(up, /group: access-up-\$\{\{ github\.ref \}\}/, "shares the push's concurrency group, so the two never race");
    assert.doesNotMatch(job("preview"), /schedule/, "a scheduled run previews nothing and posts no comment");
  });

  it("passes the Truto token through env from a secret, never through stack config", () => {
    assert.match(WORKFLOW, /TRUTO_API_TOKEN: \$\{\{ secrets\.TRUTO_API_TOKEN \}\}/);
    assert.match(WORKFLOW, /PULUMI_ACCESS_TOKEN: \$\{\{ secrets\.PULUMI_ACCESS_TOKEN \}\}/);
    assert.doesNotMatch(WORKFLOW, /pulumi config set/);
  });

  it("has a README naming the secrets it needs", () => {
    const readme = readFileSync(path.join(exampleDir("gitops"), "README.md"), "utf8");
    for (const secret of ["TRUTO_API_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL"]) assert.ok(readme.includes(secret), secret);
  });
});
