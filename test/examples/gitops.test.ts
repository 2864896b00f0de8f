/**
 * examples/gitops: the workflows preview without the Truto token on pull requests, apply in a protected
 * environment on main, check drift and out-of-band grants on a schedule, post through one script, pin every
 * action, and pass actionlint.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exampleDir } from "./example-support";
import { ACTIONLINT_HINT, ACTIONLINT_REQUIRED, locateActionlint } from "../support/actionlint";

// js-yaml ships no types; only `load` is used.
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const DIR = exampleDir("gitops");
const WORKFLOWS_DIR = path.join(DIR, ".github", "workflows");
const FILES = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".yml"));
const TEXT = Object.fromEntries(FILES.map((f) => [f, readFileSync(path.join(WORKFLOWS_DIR, f), "utf8")]));
const PARSED = Object.fromEntries(FILES.map((f) => [f, yaml.load(TEXT[f]) as Workflow]));
const ACCESS = PARSED["access.yml"];
const DRIFT = PARSED["access-drift.yml"];
const ALL_JOBS = FILES.flatMap((f) => Object.entries(PARSED[f].jobs).map(([name, job]) => ({ file: f, name, job })));

const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);
const stepNamed = (job: Job, name: string): Step => {
  const step = job.steps.find((s) => s.name === name || s.id === name);
  assert.ok(step, `no step "${name}"`);
  return step;
};
/** Every `run:` of a job, in order, as one text. */
const scripts = (job: Job): string => job.steps.map((s) => s.run ?? "").join("\n");
const mentionsTrutoToken = (value: unknown): boolean => JSON.stringify(value ?? {}).includes("TRUTO_API_TOKEN");

describe("examples/gitops workflows", () => {
  it("are access.yml and access-drift.yml, without tabs (YAML forbids them for indentation)", () => {
    assert.deepEqual([...FILES].sort(), ["access-drift.yml", "access.yml"]);
    for (const f of FILES) assert.ok(!TEXT[f].includes("\t"), f);
  });

  it("pin every action to a full commit SHA, with the release in a comment", () => {
    for (const { file, name, job } of ALL_JOBS) {
      for (const step of job.steps.filter((s) => s.uses)) {
        assert.match(step.uses!, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${file} ${name}: ${step.uses}`);
      }
    }
    for (const f of FILES) {
      for (const line of TEXT[f].split("\n").filter((l) => /\buses:/.test(l)))
        assert.match(line, /@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${f}: ${line.trim()}`);
    }
  });

  it("pin each action to the same SHA everywhere", () => {
    const shas = new Map<string, Set<string>>();
    for (const { job } of ALL_JOBS) {
      for (const uses of job.steps.map((s) => s.uses).filter((u): u is string => !!u)) {
        const [action, sha] = uses.split("@");
        shas.set(action, (shas.get(action) ?? new Set()).add(sha));
      }
    }
    for (const [action, set] of shas) assert.equal(set.size, 1, `${action}: ${[...set].join(", ")}`);
  });

  it("grant nothing by default, and each job only what it needs", () => {
    for (const f of FILES) assert.deepEqual(PARSED[f].permissions, {}, `${f}: top-level permissions`);
    const writers = (scope: string) =>
      ALL_JOBS.filter(({ job }) => job.permissions?.[scope] === "write").map(({ file, name }) => `${file}:${name}`);
    for (const { file, name, job } of ALL_JOBS) {
      assert.ok(job.permissions, `${file}:${name} has its own permissions`);
      assert.notEqual(job.permissions["contents"], "write", `${file}:${name}`);
    }
    assert.deepEqual(writers("pull-requests"), ["access.yml:preview"]);
    assert.deepEqual(writers("issues").sort(), ["access-drift.yml:report", "access.yml:up-report"]);
  });

  it("give TRUTO_API_TOKEN only to steps of jobs in an environment, and never to a job that may write", () => {
    for (const f of FILES) assert.ok(!mentionsTrutoToken(PARSED[f].env), `${f}: not in the workflow's env, which every job gets`);
    for (const { file, name, job } of ALL_JOBS) {
      assert.ok(!mentionsTrutoToken(job.env), `${file}:${name}: not in a job's env, which npm ci's install scripts would see`);
      if (!job.steps.some((s) => mentionsTrutoToken(s.env) || mentionsTrutoToken(s.with))) continue;
      assert.ok(environmentOf(job), `${file}:${name} uses the token outside an environment`);
      const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level === "write");
      assert.deepEqual(writes, [], `${file}:${name} holds the token and may write`);
    }
    for (const f of FILES) assert.doesNotMatch(TEXT[f], /pulumi config set/, "the token goes in env, never in stack config");
  });
});

describe("examples/gitops access.yml: pull requests", () => {
  const preview = ACCESS.jobs["preview"];

  it("runs on pull requests only, one run per pull request, cancelling the older one", () => {
    assert.ok(ACCESS.on["pull_request"] !== undefined);
    assert.equal(preview.if, "github.event_name == 'pull_request'");
    assert.equal(preview.concurrency?.group, "access-preview-${{ github.event.pull_request.number }}");
    assert.equal(preview.concurrency?.["cancel-in-progress"], true);
  });

  it("previews without the Truto token, in no environment", () => {
    assert.equal(environmentOf(preview), undefined);
    assert.ok(!preview.steps.some((s) => mentionsTrutoToken(s.env) || mentionsTrutoToken(s.with)));
    assert.doesNotMatch(JSON.stringify(preview), /secrets\.TRUTO_API_TOKEN/);
    const run = stepNamed(preview, "preview").run!;
    // --show-replacement-steps: a revoke an earlier failed up left pending has a step only with it.
    assert.match(run, /pulumi preview --stack "\$PULUMI_STACK" --json --show-replacement-steps > preview\.json \|\| status=\$\?/);
    assert.doesNotMatch(run, /--refresh/, "a refresh reads Truto, which needs the token");
  });

  it("reviews the preview with the package's CLI, carrying on for the exit codes that come with a comment", () => {
    const run = stepNamed(preview, "review").run!;
    assert.match(run, /npx --no-install pulumi-truto-access review preview\.json --fail-on-unknown/);
    assert.match(run, /> access-review\.md \|\| status=\$\?/);
    assert.match(run, /0 \| 3 \| 4 \| 5 \| 6\) ;;/, "3, 4, 5 and 6 print a review to post");
    assert.match(run, /\*\) .*exit "\$status"/, "1 and 2 fail at once");
  });

  it("posts the review as one comment, found by its marker, before failing the job", () => {
    const names = preview.steps.map((s) => s.name ?? s.uses ?? s.run);
    const comment = stepNamed(preview, "Comment on the pull request");
    assert.match(comment.uses!, /^actions\/github-script@/);
    assert.match(String(comment.with?.["script"]), /postReview\(\{ github, context, review \}\)/);
    const fail = stepNamed(preview, "Fail if the preview failed or the review flagged the change");
    assert.ok(names.indexOf(comment.name) < names.indexOf(fail.name), "comment first, then fail");
    assert.equal(fail.if, "steps.preview.outputs.status != '0' || steps.review.outputs.status != '0'");
    assert.match(fail.run!, /exit 1/);
    // Nothing between the review and the failing step may stop the job early.
    assert.ok(preview.steps.slice(names.indexOf("Review the access changes") + 1).every((s) => s.if === undefined || s === fail));
  });
});

describe("examples/gitops access.yml: main", () => {
  const up = ACCESS.jobs["up"];

  it("applies a push to main in the protected environment, the hourly run in the main-only enforce environment, one run at a time", () => {
    assert.equal(up.if, "(github.event_name == 'push' || github.event_name == 'schedule') && github.ref == 'refs/heads/main'");
    assert.deepEqual(ACCESS.on["schedule"], [{ cron: "17 * * * *" }], "hourly, so expired roles are revoked without a push");
    // A merge needs a reviewer; the hourly re-apply of main (expiry) must not wait for one.
    assert.equal(environmentOf(up), "${{ github.event_name == 'schedule' && 'access-enforce' || 'access-production' }}");
    assert.deepEqual(up.concurrency, { group: "access-up", "cancel-in-progress": false });
    assert.deepEqual(up.permissions, { contents: "read" });
  });

  it("gives the token to the `pulumi up` step alone", () => {
    const apply = stepNamed(up, "Apply");
    assert.equal(apply.run, 'pulumi up --yes --stack "$PULUMI_STACK"');
    assert.deepEqual(apply.env, { TRUTO_API_TOKEN: "${{ secrets.TRUTO_API_TOKEN }}" });
    assert.deepEqual(
      up.steps.filter((s) => mentionsTrutoToken(s.env)),
      [apply],
    );
  });

  it("opens or updates an issue when `up` fails and closes it when one succeeds, from a job without the token", () => {
    const report = ACCESS.jobs["up-report"];
    assert.equal(report.needs, "up");
    assert.equal(report.if, "always() && (needs.up.result == 'success' || needs.up.result == 'failure')");
    assert.equal(environmentOf(report), undefined);
    assert.deepEqual(report.permissions, { contents: "read", issues: "write" });
    const script = String(report.steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.["script"]);
    assert.match(script, /syncIssue\(\{ github, context, kind: "up-failed"/);
  });
});

describe("examples/gitops access-drift.yml", () => {
  const check = DRIFT.jobs["check"];
  const report = DRIFT.jobs["report"];

  it("runs on a schedule (and by hand) on main, in the access-audit environment, not the one that applies", () => {
    assert.ok(Array.isArray(DRIFT.on["schedule"]));
    assert.ok("workflow_dispatch" in DRIFT.on);
    assert.equal(check.if, "github.ref == 'refs/heads/main'");
    assert.equal(environmentOf(check), "access-audit");
    assert.deepEqual(check.permissions, { contents: "read" });
    assert.notEqual(DRIFT.concurrency?.group, "access-up", "a waiting drift check must not replace a waiting up");
  });

  it("previews with --refresh --expect-no-changes and audits the stack export, recording both exit codes", () => {
    const all = scripts(check);
    assert.match(all, /pulumi preview --refresh --expect-no-changes --diff --stack "\$PULUMI_STACK" > drift\.txt 2>&1 \|\| status=\$\?/);
    assert.match(
      all,
      /pulumi stack export --stack "\$PULUMI_STACK" > stack\.json &&\s+npx --no-install pulumi-truto-access audit stack\.json --fail-on out-of-band > audit\.md/,
    );
    assert.match(all, /rm -f stack\.json/);
    assert.doesNotMatch(all, /pulumi up|--yes/, "the checks change nothing");
    assert.deepEqual(Object.keys(check.env ?? {}), [], "the token goes to the steps that need it");
  });

  it("files one issue per kind of finding from a job without the token, and fails the run when there are findings", () => {
    assert.equal(report.needs, "check");
    assert.equal(environmentOf(report), undefined);
    assert.deepEqual(report.permissions, { contents: "read", issues: "write" });
    const script = String(report.steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.["script"]);
    assert.match(script, /kind: "drift"/);
    assert.match(script, /kind: "out-of-band"/);
    assert.match(script, /s === "3"/, "exit 3 means findings; anything else, a failed audit");
    assert.match(script, /core\.setFailed/);
  });
});

describe("examples/gitops README", () => {
  const readme = readFileSync(path.join(DIR, "README.md"), "utf8");

  it("names the secrets, the environments and the workflows", () => {
    for (const word of [
      "TRUTO_API_TOKEN",
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_BACKEND_URL",
      "access-production",
      "access-enforce",
      "access-audit",
      "required reviewers",
      "access.yml",
      "access-drift.yml",
      ".github/scripts/access-report.js",
    ]) {
      assert.ok(readme.includes(word), word);
    }
  });
});

describe("examples/gitops access-report.js", () => {
  // The module github-script loads; plain CommonJS, so it is required as the workflow requires it.
  const { postReview, syncIssue, issueMarker } = require(path.join(DIR, ".github", "scripts", "access-report.js"));
  const context = { repo: { owner: "acme", repo: "access" }, issue: { number: 7 } };
  const bot = { type: "Bot" };
  const marker = "<!-- pulumi-truto-access:review access/prod -->";

  /** A fake Octokit: `items` are what the list calls return; every write is recorded. */
  function fakeGithub(items: object[]) {
    const calls: [string, Record<string, unknown>][] = [];
    const record = (name: string) => async (args: Record<string, unknown>) => void calls.push([name, args]);
    const rest = {
      issues: {
        listComments: "listComments",
        listForRepo: "listForRepo",
        createComment: record("createComment"),
        updateComment: record("updateComment"),
        create: record("create"),
        update: record("update"),
      },
    };
    return { calls, github: { rest, paginate: async () => items } };
  }

  it("creates the review comment, then updates the bot's comment with the same marker", async () => {
    const review = `${marker}\n### Access changes\n`;
    const first = fakeGithub([{ id: 1, user: { type: "User" }, body: review }]);
    assert.equal(await postReview({ github: first.github, context, review }), "created", "a person's comment with the marker is not ours");
    assert.deepEqual(first.calls, [["createComment", { owner: "acme", repo: "access", issue_number: 7, body: review }]]);
    const again = fakeGithub([
      { id: 2, user: bot, body: `<!-- pulumi-truto-access:review access/dev -->\nother stack` },
      { id: 3, user: bot, body: `${marker}\nold` },
    ]);
    assert.equal(await postReview({ github: again.github, context, review }), "updated");
    assert.deepEqual(again.calls, [["updateComment", { owner: "acme", repo: "access", comment_id: 3, body: review }]]);
  });

  it("refuses a review that does not start with its marker (an empty file from a failed step)", async () => {
    const { github, calls } = fakeGithub([]);
    await assert.rejects(postReview({ github, context, review: "" }), /does not start with its marker line/);
    assert.deepEqual(calls, []);
  });

  it("opens one issue per kind, updates it while findings remain, and closes it when clean", async () => {
    const args = { context, kind: "drift", stack: "prod", title: "Access drift on prod", runUrl: "https://example.test/run/1" };
    const opened = fakeGithub([
      { number: 4, user: bot, body: `${issueMarker("out-of-band", "prod")}\n…` },
      { number: 5, user: bot, pull_request: {}, body: issueMarker("drift", "prod") },
    ]);
    assert.equal(
      await syncIssue({ ...args, github: opened.github, findings: "1 to update" }),
      "opened",
      "another kind, and a pull request, are not this issue",
    );
    const [[call, body]] = opened.calls;
    assert.equal(call, "create");
    assert.ok(String(body["body"]).startsWith(`${issueMarker("drift", "prod")}\n1 to update`));

    const existing = [{ number: 9, user: bot, body: `${issueMarker("drift", "prod")}\nold` }];
    const updated = fakeGithub(existing);
    assert.equal(await syncIssue({ ...args, github: updated.github, findings: "x".repeat(70000) }), "updated");
    assert.equal(updated.calls[0][1]["issue_number"], 9);
    assert.ok(String(updated.calls[0][1]["body"]).length < 65536, "clipped under GitHub's limit");

    const closed = fakeGithub(existing);
    assert.equal(await syncIssue({ ...args, github: closed.github, findings: null }), "closed");
    assert.deepEqual(
      closed.calls.map(([name]) => name),
      ["createComment", "update"],
    );
    assert.equal(closed.calls[1][1]["state"], "closed");
    assert.equal(await syncIssue({ ...args, github: fakeGithub([]).github, findings: null }), "none");
  });
});

describe("examples/gitops actionlint", () => {
  const actionlint = locateActionlint();
  const lint = (files: string[]) => spawnSync(actionlint!, ["-no-color", "-oneline", ...files], { encoding: "utf8" });

  if (!actionlint) {
    if (ACTIONLINT_REQUIRED) {
      it("needs actionlint (ACTIONLINT=required)", () => {
        throw new Error(`actionlint is required, but it is not on PATH; ${ACTIONLINT_HINT}.`);
      });
    } else {
      it(`skipped: actionlint is absent (${ACTIONLINT_HINT}, or set ACTIONLINT=required to fail instead)`);
    }
    return;
  }

  it("finds nothing in the workflows", () => {
    const result = lint(FILES.map((f) => path.join(WORKFLOWS_DIR, f)));
    assert.equal(result.error, undefined);
    assert.equal(result.status, 0, `actionlint found:\n${result.stdout}${result.stderr}`);
  });

  it("does find a broken workflow (so the check above means something)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    try {
      const file = path.join(dir, "broken.yml");
      writeFileSync(file, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n");
      const result = lint([file]);
      assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /nope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
