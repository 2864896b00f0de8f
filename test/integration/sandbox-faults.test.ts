import { strict as assert } from "node:assert";
import * as qs from "qs";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, jumpcloud, slackenterprise: slack } = SEED_IDS;
const ASSIGN_PATH = "/unified/user-directory/users/assign-role";
const ASSIGN = `${ASSIGN_PATH}?integrated_account_id=${accounts.jumpcloud}`;
const GRANT = { id: jumpcloud.users.alice, roles: [{ id: "manager" }] };
const USER_PATH = `/unified/user-directory/users/${jumpcloud.users.alice}`;
const USER = `${USER_PATH}?integrated_account_id=${accounts.jumpcloud}`;

describe("sandbox faults and request log", () => {
  const sb = useSandbox();

  async function aliceRoles(): Promise<unknown> {
    const state = await sb.admin.state();
    return state.users.find((u) => u.id === jumpcloud.users.alice)?.roles;
  }

  describe("faults", () => {
    it("answers the injected status with a Truto error body and Retry-After seconds, then recovers", async () => {
      const fault = await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, status: 503, retryAfter: 7 });
      assert.match(fault.id, /\S/);
      const failed = await sb.call("POST", ASSIGN, { body: GRANT });
      assert.equal(failed.status, 503);
      assert.equal(failed.headers["retry-after"], "7");
      assert.equal(failed.body.statusCode, 503);
      assert.equal(failed.body.error, "Service Unavailable");
      assert.equal(typeof failed.body.message, "string");
      assert.deepEqual(await aliceRoles(), [], "a faulted request changes nothing");
      const next = await sb.call("POST", ASSIGN, { body: GRANT });
      assert.equal(next.status, 200, "the fault was used up after count requests");
    });

    it("sends an HTTP-date Retry-After, extra headers and a custom body as given", async () => {
      const date = "Wed, 21 Oct 2037 07:28:00 GMT";
      const body = { statusCode: 429, error: "Too Many Requests", message: "slow down", truto_is_remote_error: true };
      await sb.admin.faults({
        method: "GET",
        path: USER_PATH,
        count: 2,
        status: 429,
        retryAfter: date,
        headers: { "X-Vendor": "slack" },
        body,
      });
      for (let i = 0; i < 2; i += 1) {
        const response = await sb.call("GET", USER);
        assert.equal(response.status, 429);
        assert.equal(response.headers["retry-after"], date);
        assert.equal(response.headers["x-vendor"], "slack");
        assert.deepEqual(response.body, body);
      }
      assert.equal((await sb.call("GET", USER)).status, 200);
    });

    it("drops the connection without an answer", async () => {
      await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, drop: true });
      await assert.rejects(sb.call("POST", ASSIGN, { body: GRANT }), (error: Error & { code?: string }) => {
        assert.match(`${error.code} ${error.message}`, /socket|closed|UND_ERR/i);
        return true;
      });
      assert.deepEqual(await aliceRoles(), []);
      const [entry] = await sb.admin.requests();
      assert.equal(entry.status, null, "the log shows no answer was sent");
    });

    it("answers 200 with a truncated body that is not JSON", async () => {
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 1, malformed: true });
      const response = await sb.call("GET", USER);
      assert.equal(response.status, 200);
      assert.equal(typeof response.body, "string", "the fixture could not parse it");
      assert.throws(() => JSON.parse(response.text));
    });

    it("answers the normal success body without applying the change (noop)", async () => {
      await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, noop: true });
      const response = await sb.call("POST", ASSIGN, { body: GRANT });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { result: { id: jumpcloud.users.alice, roles: [{ id: "manager", name: "Manager" }] } });
      assert.deepEqual(await aliceRoles(), [], "nothing was applied");
    });

    it("holds the request for delayMs, then handles it normally", async () => {
      await sb.admin.faults({ method: "POST", path: ASSIGN_PATH, count: 1, delayMs: 1500 });
      const pending = sb.call("POST", ASSIGN, { body: GRANT });
      // Observe it in flight (logged, not yet answered) rather than timing it.
      let inFlight;
      for (let attempt = 0; attempt < 100 && !inFlight; attempt += 1) {
        inFlight = (await sb.admin.requests()).find((entry) => entry.path === ASSIGN_PATH);
        if (!inFlight) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(inFlight, "the delayed request reached the sandbox");
      assert.equal(inFlight.status, null, "still held when first seen");
      const response = await pending;
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(await aliceRoles(), [{ id: "manager" }]);
      assert.equal((await sb.admin.requests())[0].status, 200);
    });

    it("applies faults in the order registered, matching method and path (with * as a prefix)", async () => {
      await sb.admin.faults({ method: "GET", path: "/unified/*", count: 1, status: 502 });
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 1, status: 504 });
      await sb.admin.faults({ method: "DELETE", path: USER_PATH, count: 5, status: 500 });
      assert.equal((await sb.call("GET", USER)).status, 502);
      assert.equal((await sb.call("GET", USER)).status, 504);
      assert.equal((await sb.call("GET", USER)).status, 200);
      assert.equal((await sb.call("POST", ASSIGN, { body: GRANT })).status, 200, "POST matched nothing");
    });

    it("applies to /integrated-account but never to the admin API", async () => {
      await sb.admin.faults({ method: "*", path: "/*", count: 10, status: 500 });
      assert.equal((await sb.call("GET", `/integrated-account/${accounts.jumpcloud}`)).status, 500);
      const state = await sb.admin.state();
      assert.ok(state.accounts.length > 0, "admin calls are unaffected");
    });

    it("with a probability, disturbs about that share of matching requests, the same ones for the same seed", async () => {
      // 400 requests would trip the default rate limit; its 429s are not what this test is about.
      await sb.admin.config({ rateLimit: false });
      const statuses = async (): Promise<number[]> => {
        await sb.admin.faults({ method: "GET", path: USER_PATH, count: 1_000, status: 503, probability: 0.25, seed: 7 });
        const out: number[] = [];
        for (let i = 0; i < 200; i += 1) out.push((await sb.call("GET", USER)).status);
        await sb.admin.clearFaults();
        return out;
      };
      const first = await statuses();
      const failed = first.filter((status) => status === 503).length;
      assert.ok(failed >= 30 && failed <= 70, `about a quarter of 200 should fail; ${failed} did`);
      assert.ok(first.every((status) => status === 200 || status === 503));
      assert.deepEqual(await statuses(), first, "the same seed disturbs the same requests");
    });

    it("lets a request the probability spared go on to later faults, and counts only disturbed requests", async () => {
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 2, status: 503, probability: 0 });
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 1, status: 502 });
      assert.equal((await sb.call("GET", USER)).status, 502, "probability 0 never fires, so the next fault applies");
      assert.equal((await sb.call("GET", USER)).status, 200);
      const [left] = (await sb.call("GET", "/_sandbox/faults")).body;
      assert.equal(left.remaining, 2, "a fault that never fired keeps its count");
      await sb.admin.clearFaults();
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 1, status: 500, probability: 1 });
      assert.equal((await sb.call("GET", USER)).status, 500);
      assert.equal((await sb.call("GET", USER)).status, 200, "used up after count disturbed requests");
    });

    it("clears every fault with DELETE /_sandbox/faults", async () => {
      await sb.admin.faults({ method: "GET", path: USER_PATH, count: 3, status: 500 });
      await sb.admin.clearFaults();
      assert.equal((await sb.call("GET", USER)).status, 200);
    });

    it("answers 400 for a fault it cannot understand", async () => {
      const cases = [
        { method: "GET", path: USER_PATH, count: 0, status: 500 },
        { method: "GET", path: "no-slash", count: 1, status: 500 },
        { method: "GET", path: USER_PATH, count: 1 },
        { method: "GET", path: USER_PATH, count: 1, drop: true, malformed: true },
        { method: "GET", path: USER_PATH, count: 1, status: 500, bogus: true },
        { method: "GET", path: USER_PATH, count: 1, status: 500, probability: 1.5 },
        { method: "GET", path: USER_PATH, count: 1, status: 500, probability: -0.1 },
        { method: "GET", path: USER_PATH, count: 1, status: 500, seed: 3 },
        { method: "GET", path: USER_PATH, count: 1, status: 500, probability: 0.5, seed: 1.5 },
      ];
      for (const fault of cases) {
        const response = await sb.call("POST", "/_sandbox/faults", { body: fault });
        assert.equal(response.status, 400, JSON.stringify(fault));
        assert.match(response.body.message, /fault is not valid/i);
      }
    });
  });

  describe("request log", () => {
    it("records API requests oldest first with parsed query, body, status and keys, never the token", async () => {
      await sb.call("GET", USER);
      const query = qs.stringify({
        integrated_account_id: accounts.slackenterprise,
        id: slack.users.alice,
        workspace_id: "T0PLATFORM",
        roles: [{ id: "Rl0A" }],
      });
      await sb.call("POST", `/unified/user-directory/users/unassign-role?${query}`, { headers: { "Idempotency-Key": "key-1" } });
      await sb.call("POST", ASSIGN, { body: GRANT });
      const log = await sb.admin.requests();
      assert.equal(log.length, 3, "admin calls are not logged");
      assert.ok(log[0].seq < log[1].seq && log[1].seq < log[2].seq);
      assert.deepEqual(
        log.map((entry) => [entry.method, entry.path, entry.status]),
        [
          ["GET", USER_PATH, 200],
          ["POST", "/unified/user-directory/users/unassign-role", 200],
          ["POST", ASSIGN_PATH, 200],
        ],
      );
      assert.deepEqual(log[1].query.roles, [{ id: "Rl0A" }]);
      assert.equal(log[1].idempotencyKey, "key-1");
      assert.equal(log[1].integratedAccountId, accounts.slackenterprise);
      assert.deepEqual(log[2].body, GRANT);
      assert.ok(!Number.isNaN(Date.parse(log[0].at)));
      const text = JSON.stringify(log);
      assert.ok(!text.includes(sb.token), "the token is never logged");
      assert.ok(!/authorization/i.test(text));
    });

    it("records failed and unauthorised requests too", async () => {
      await sb.call("GET", USER, { token: "wrong" });
      await sb.call("GET", "/unified/user-directory/users");
      const log = await sb.admin.requests();
      assert.deepEqual(
        log.map((entry) => entry.status),
        [401, 400],
      );
    });

    it("empties with DELETE /_sandbox/requests", async () => {
      await sb.call("GET", USER);
      await sb.admin.clearRequests();
      assert.deepEqual(await sb.admin.requests(), []);
    });
  });
});
