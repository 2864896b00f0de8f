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
import { endpointOf, minimumUnder } from "../../bench/scale";
import { floorsOf, pagesFor, updateWrites } from "../../bench/scale-floor";
import { scaleOrg, WORKSPACES, workspaceAssignments } from "../../bench/scale-population";
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

  describe("the scale org (issue 14)", () => {
    const org = scaleOrg(1_000);
    it("is 1,000 people with one RoleAssignment per app each, a valid sandbox state, and ~1,500 assignments in the larger workspace", () => {
      assert.equal(org.resources.length, 3_000);
      assert.equal(new Set(org.resources.map((r) => r.name)).size, 3_000);
      assert.ok(checkState(org.state).ok);
      assert.equal(org.resources.filter((r) => r.scope === WORKSPACES.large).length, 740);
      assert.equal(workspaceAssignments(org.resources, WORKSPACES.large), 1_485);
      assert.deepEqual(
        ["org-a", "org-b"].map((o) => org.resources.filter((r) => r.scope === o).length),
        [500, 500],
      );
      assert.equal(org.state.users.filter((u) => u.accountId === org.resources[1].inputs.integratedAccountId).length, 1_001);
    });
    it("is the same org every time it is generated", () => {
      assert.deepEqual(scaleOrg(1_000), org);
    });
    it("changes the roles of 10% of the resources, dropping one role and adding another", () => {
      const changed = org.changed.filter((r, i) => r.roles.join() !== org.resources[i].roles.join());
      assert.equal(changed.length, 300);
      for (const r of changed) assert.equal(r.roles.length, org.resources.find((x) => x.name === r.name)!.roles.length);
    });
    it("sets each operation's floor from the rules: one write per assignment, per role on Slack, pages to list once for refresh", () => {
      const up = floorsOf(org, "up");
      assert.deepEqual(up.slackenterprise, { resources: 1_000, floor: 1_999 });
      assert.deepEqual(up.jumpcloud, { resources: 1_000, floor: 1_000 });
      const refresh = floorsOf(org, "refresh");
      // 1,485 and 514 + 6 rows in the two workspaces, 200 to a page; 1,001 users in each other account, 100 to a page.
      assert.equal(refresh.slackenterprise.floor, 8 + 3);
      assert.equal(refresh.jumpcloud.floor, 11);
      assert.equal(refresh.elasticcloud.floor, 11);
      assert.deepEqual(floorsOf(org, "update").elasticcloud, { resources: 100, floor: 200 });
      assert.equal(pagesFor(0, 100), 1);
      assert.equal(pagesFor(201, 200), 2);
    });
    it("counts an update's writes as the rules make them", () => {
      const slack = (roles: string[]) => ({ app: "slackenterprise" as const, roles });
      const elastic = (roles: string[]) => ({ app: "elasticcloud" as const, roles });
      assert.equal(updateWrites(slack(["a", "b"]), slack(["b", "c"])), 2);
      assert.equal(updateWrites(slack(["a"]), slack(["a", "b", "c"])), 2);
      assert.equal(updateWrites({ app: "jumpcloud", roles: ["a"] }, { app: "jumpcloud", roles: ["b", "c"] }), 2);
      // Elastic revokes the whole organization, then grants what stays in one request.
      assert.equal(updateWrites(elastic(["a", "b"]), elastic(["b"])), 2);
      assert.equal(updateWrites(elastic(["a"]), elastic(["a", "b"])), 1);
    });
    it("names endpoints without ids, and takes the minimum under both limits plus one latency", () => {
      assert.equal(endpointOf({ method: "GET", path: "/unified/user-directory/users/U123" }), "GET users/{id}");
      assert.equal(endpointOf({ method: "POST", path: "/unified/user-directory/users/assign-role" }), "POST users/assign-role");
      assert.equal(endpointOf({ method: "GET", path: "/unified/user-directory/users/meta/assign-role" }), "GET users/meta/{method}");
      assert.equal(endpointOf({ method: "GET", path: "/integrated-account/abc" }), "GET integrated-account/{id}");
      const timed = { account: { limit: 50, windowMs: 1_000 }, token: { limit: 100, windowMs: 1_000 }, latencyMs: 150, maxWallMs: 1 };
      const count = { limitedByAccount: { a: 120, b: 60 }, requests: 177, lookups: 3 };
      assert.equal(minimumUnder(count, timed, false), 2_000 + 150);
      assert.equal(minimumUnder(count, timed, true), Math.max(2_000, 1_000) + 150);
      assert.equal(minimumUnder({ ...count, requests: 397 }, timed, true), 3_000 + 150);
    });
  });
});
