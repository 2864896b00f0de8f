/**
 * The benchmark's pure parts: medians, the rate-limit minimum, replay URLs that re-encode a logged query
 * exactly as the client sent it, log comparison, the per-operation budgets, and profile summaries.
 * No sockets.
 */
import { strict as assert } from "node:assert";
import * as qs from "qs";
import { packageOf, summarise } from "../../bench/cpu-profile";
import { benchAccountId, requestCountPopulation, singleAccountPopulation, throughputPopulation } from "../../bench/population";
import { minimumWallMs } from "../../bench/rate-limited";
import { compareLogs, replayUrl } from "../../bench/replay";
import { readBackCost, writeCost } from "../../bench/request-counts";
import { median } from "../../bench/stats";
import { checkState } from "../../src/sandbox/state-schema";
import { encodeQuery } from "../../src/truto/client";

const entry = (seq: number, method: string, path: string, query: Record<string, unknown>, body: unknown) => ({
  seq,
  at: "",
  method,
  path,
  query,
  body,
  status: 200,
});

describe("bench helpers", () => {
  describe("median", () => {
    it("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
      assert.equal(median([5, 1, 3]), 3);
      assert.equal(median([4, 1, 3, 2]), 2.5);
    });
    it("refuses an empty list instead of reporting NaN", () => {
      assert.throws(() => median([]), /no values were measured/);
    });
  });

  describe("minimumWallMs", () => {
    it("allows one full window per limit's worth of requests after the first", () => {
      assert.equal(minimumWallMs(600, 50, 1_000), 11_000);
      assert.equal(minimumWallMs(601, 50, 1_000), 12_000);
      assert.equal(minimumWallMs(50, 50, 1_000), 0);
    });
  });

  describe("replayUrl", () => {
    it("re-encodes a query the sandbox parsed into the very string the client sent", () => {
      const query = {
        integrated_account_id: benchAccountId(1),
        id: "u 1/x",
        roles: [{ id: "manager" }, { id: "read-only", workspace: "T1" }],
        remote_query: { a: "b&c" },
      };
      const sent = encodeQuery(query);
      const url = replayUrl("http://127.0.0.1:1", { path: "/unified/user-directory/users/assign-role", query: qs.parse(sent) });
      assert.equal(url, `http://127.0.0.1:1/unified/user-directory/users/assign-role?${sent}`);
    });
    it("adds no question mark when there is no query", () => {
      assert.equal(replayUrl("http://h", { path: "/integrated-account/x", query: {} }), "http://h/integrated-account/x");
    });
  });

  describe("compareLogs", () => {
    it("accepts the same requests in another order", () => {
      const a = [entry(1, "GET", "/a", { x: "1" }, null), entry(2, "POST", "/b", {}, { id: "u" })];
      const b = [entry(9, "POST", "/b", {}, { id: "u" }), entry(8, "GET", "/a", { x: "1" }, null)];
      assert.deepEqual(compareLogs(a, b), []);
    });
    it("names a request whose body differs, both ways", () => {
      const problems = compareLogs([entry(1, "POST", "/b", {}, { id: "u" })], [entry(1, "POST", "/b", {}, { id: "v" })]);
      assert.equal(problems.length, 2);
      assert.match(problems.join("\n"), /missing from the replay/);
      assert.match(problems.join("\n"), /extra in the replay/);
    });
  });

  describe("request budgets", () => {
    it("charges a read-back one user read, plus a workspace page where assignments are listed", () => {
      assert.equal(readBackCost({ rolesPerRequest: "many", readBack: "user-roles" }), 1);
      assert.equal(readBackCost({ rolesPerRequest: "one", readBack: "role-assignments" }), 2);
    });
    it("charges one write per role only where the integration takes one role per request", () => {
      assert.equal(writeCost({ rolesPerRequest: "many", readBack: "user-roles" }, 3), 1);
      assert.equal(writeCost({ rolesPerRequest: "one", readBack: "user-roles" }, 3), 3);
    });
  });

  describe("populations", () => {
    it("builds states the sandbox accepts, with one distinct user per assignment", () => {
      for (const { state, assignments } of [throughputPopulation(50), singleAccountPopulation(7)]) {
        const check = checkState(state);
        assert.ok(check.ok, check.ok ? "" : check.message);
        const users = new Set(assignments.map((a) => `${a.inputs.integratedAccountId}|${a.inputs.userId}`));
        assert.equal(users.size, assignments.length);
      }
      const counts = requestCountPopulation(4);
      const check = checkState(counts.state);
      assert.ok(check.ok, check.ok ? "" : check.message);
      assert.deepEqual(
        counts.cases.map((c) => c.integration),
        ["jumpcloud", "crowdstrike", "slackenterprise", "elasticcloud"],
      );
    });
    it("spreads throughput assignments evenly over five accounts", () => {
      const { assignments } = throughputPopulation(1_000);
      const perAccount = new Map<unknown, number>();
      for (const a of assignments) perAccount.set(a.inputs.integratedAccountId, (perAccount.get(a.inputs.integratedAccountId) ?? 0) + 1);
      assert.deepEqual([...perAccount.values()], [200, 200, 200, 200, 200]);
    });
  });

  describe("cpu profile summary", () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    it("names packages by their node_modules folder, ours by the dist folder, and Node's own code as node", () => {
      assert.equal(packageOf(frame("f", "file:///x/node_modules/@grpc/grpc-js/build/src/server.js")), "@grpc/grpc-js");
      assert.equal(packageOf(frame("f", "file:///x/node_modules/undici/lib/core/util.js")), "undici");
      assert.equal(packageOf(frame("send", "file:///repo/dist/truto/client.js")), "ours");
      assert.equal(packageOf(frame("emit", "node:events")), "node");
      assert.equal(packageOf(frame("(garbage collector)", "")), "(gc)");
    });
    it("charges each sample the time until the next one and leaves idle time out of the percentages", () => {
      const profile = {
        nodes: [
          { id: 1, callFrame: frame("(root)", "") },
          { id: 2, callFrame: frame("(idle)", "") },
          { id: 3, callFrame: frame("send", "file:///repo/dist/truto/client.js") },
          { id: 4, callFrame: frame("parse", "file:///x/node_modules/zod/index.js") },
        ],
        samples: [3, 3, 4, 2, 3],
        timeDeltas: [0, 1_000, 1_000, 2_000, 4_000],
      };
      const summary = summarise(profile);
      // send: 1 ms + 1 ms; zod: 2 ms (until the next sample); idle: 4 ms; the last sample: nothing after it.
      assert.equal(summary.totalMs, 8);
      assert.equal(summary.busyMs, 4);
      assert.deepEqual(
        summary.byPackage.map((r) => [r.name, r.ms, r.percent]),
        [
          ["ours", 2, 50],
          ["zod", 2, 50],
        ],
      );
      assert.ok(summary.topFunctions.every((f) => !f.name.startsWith("(idle)")));
    });
  });
});
