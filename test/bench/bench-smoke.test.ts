/**
 * `npm run bench` end to end with small numbers (bench/plan.ts SMOKE_PLAN): every scenario runs against
 * the real provider host and a sandbox process, and the results hold what the issue asks for. It asserts
 * counts and shapes, never speeds; the speed figures belong to the full run on a quiet machine.
 * Needs the package built (`npm run build`), like the lifecycle tests.
 */
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { runBench } from "../../bench/bench";
import { SMOKE_PLAN } from "../../bench/plan";
import { throughputPopulation } from "../../bench/population";
import { protectedBy } from "../../src/provider/last-holder";
import type { BenchResults } from "../../bench/results";
import { report } from "../../bench/table";
import { packageRoot } from "../../tools/engine/package-root";

// Five accounts, each looked up once per host process; everything else is two requests per operation, and one
// more per protected role a delete revokes: the last-holder guard reads the first page of users, where the
// account's owner, who holds every role, comes first.
const ACCOUNTS = 5;

/** Truto's description of assign-role and unassign-role, asked once per integration per host process (the placement check). */
function methodDescriptions(count: number): number {
  return 2 * new Set(throughputPopulation(count).assignments.map((a) => String(a.inputs.integration))).size;
}

/** The protected roles the throughput population's deletes revoke, one guard listing each. */
function guardListings(count: number): number {
  const roles = throughputPopulation(count).assignments.flatMap((a) =>
    (a.inputs.roles as { id: string }[]).map((r) => ({ integration: String(a.inputs.integration), role: r })),
  );
  return roles.filter(({ integration, role }) => protectedBy([], integration, role) !== undefined).length;
}

describe("npm run bench (smoke plan)", function () {
  this.timeout(180_000);
  let results: BenchResults;

  before(async () => {
    const built = path.join(packageRoot(), "dist", "provider", "provider.js");
    if (!existsSync(built)) throw new Error(`The bench runs the built package, but ${built} is missing: run \`npm run build\` first.`);
    results = await runBench(SMOKE_PLAN);
  });

  it("reports every figure issue 6 names, with the machine and Node version", () => {
    for (const key of [
      "providerBytes",
      "startRatio",
      "throughputRatio",
      "cpuBoundOpsPerSec",
      "rateLimited429s",
      "rateLimitedWallRatio",
      "hostPeakMB",
    ] as const) {
      assert.equal(typeof results[key], "number", `${key} is ${results[key]}`);
      assert.ok(Number.isFinite(results[key] as number), `${key} is ${results[key]}`);
    }
    assert.deepEqual(Object.keys(results.requestsPerOp).sort(), ["create", "delete", "refresh", "update"]);
    assert.ok(results.machine.cpus >= 1 && results.machine.model && results.machine.memory > 0);
    assert.equal(results.node, process.version);
    assert.ok(!Number.isNaN(Date.parse(results.date)));
  });

  it("measures the same __provider shim for every resource, within its size budget", () => {
    assert.ok(results.details.providerTextIdentical);
    assert.ok(results.providerBytes > 0 && results.providerBytes <= 2_560, `__provider is ${results.providerBytes} bytes`);
  });

  it("takes every figure as a median of at least three runs", () => {
    const d = results.details;
    assert.ok(d.startPairs.length >= 3 && d.throughputRuns.length >= 3 && d.cpuBoundRuns.length >= 3 && d.rateLimitedRuns.length >= 3);
    assert.equal(d.trivialHostRuns.length, d.cpuBoundRuns.length);
  });

  it("makes two requests per create and per delete, one per protected role a delete revokes, plus one account lookup per account and two method descriptions per integration, and replays exactly those", () => {
    const guarded = guardListings(SMOKE_PLAN.assignments);
    assert.ok(guarded > 0, "the population revokes some protected roles, so the guard's cost is measured");
    const expected = SMOKE_PLAN.assignments * 4 + guarded + ACCOUNTS + methodDescriptions(SMOKE_PLAN.assignments);
    for (const run of [...results.details.throughputRuns, ...results.details.cpuBoundRuns]) {
      assert.equal(run.requests, expected);
      assert.equal(run.operations, SMOKE_PLAN.assignments * 2);
      assert.equal(run.rateLimited, 0);
      // Every operation was timed: a Create makes two requests in sequence, so it cannot be quicker than one.
      assert.ok(run.latency.create.p50 > 0 && run.latency.delete.p50 > 0 && run.latency.replayRequest.p50 > 0);
      assert.ok(run.cpuMs.driver > 0 && run.replayCpuMs.client > 0);
    }
    // Reported to three decimals.
    assert.ok(Math.abs(results.details.requestsPerOpAmortised - expected / (SMOKE_PLAN.assignments * 2)) < 0.001);
  });

  it("keeps every integration's requests per operation within its budget", () => {
    for (const c of results.details.requestCounts) {
      for (const op of [c.create, c.update, c.delete, c.refreshUserReads]) {
        assert.ok(op.requests <= op.budget, `${c.integration}: ${op.requests} requests, budget ${op.budget}`);
      }
      assert.equal(c.accountLookups, 1, `${c.integration} looked its account up ${c.accountLookups} times`);
      assert.equal(
        c.methodDescriptions,
        2,
        `${c.integration} asked for assign-role's and unassign-role's descriptions ${c.methodDescriptions} times`,
      );
    }
    assert.deepEqual(results.requestsPerOp, { create: 2, update: 3, delete: 2, refresh: 1 });
  });

  it("counts the rate-limited run's requests against the limit and derives the minimum from them", () => {
    for (const run of results.details.rateLimitedRuns) {
      assert.ok(run.limitedRequests >= SMOKE_PLAN.rateLimited.creates * 2, `${run.limitedRequests} limited requests`);
      assert.equal(run.minimumMs, (Math.ceil(run.limitedRequests / SMOKE_PLAN.rateLimited.limit) - 1) * SMOKE_PLAN.rateLimited.windowMs);
      assert.ok(Number.isInteger(run.rateLimited429s) && run.rateLimited429s >= 0);
    }
  });

  it("reads the host's peak memory and summarises its CPU profile by package", () => {
    assert.ok(results.hostPeakMB !== null && results.hostPeakMB > 0);
    const profile = results.details.profile;
    assert.ok(profile && profile.busyMs > 0);
    assert.ok(
      profile.byPackage.some((p) => p.name === "ours"),
      JSON.stringify(profile.byPackage),
    );
  });

  it("renders the tables without machine paths", () => {
    const text = report(results);
    assert.match(text, /`__provider` bytes per resource/);
    assert.match(text, /\| jumpcloud \|/);
    assert.doesNotMatch(JSON.stringify(results), /\/tmp\/|\/work\/|\/root\//);
  });
});
