/**
 * The client against a scripted server on loopback, for answers the sandbox does not give: tokens echoed
 * in field lists, text bodies and URL-encoded forms; vendor messages of any size; a long Retry-After.
 */
import { strict as assert } from "node:assert";
import type { ServerResponse } from "node:http";
import { RULES } from "../../src/integrations/rules";
import { TrutoClient, type TrutoClientOptions } from "../../src/truto/client";
import { MAX_QUOTED_CHARS, type TrutoError } from "../../src/truto/errors";
import { WireCustomResult, WireUser } from "../../src/truto/wire";
import * as ud from "../../src/truto/user-directory";
import { leaksPart, rejection } from "../support/truto-assertions";
import { json, useScriptedServer, type Seen } from "../support/scripted-server";

// Made up, shaped like a real one: + and / change when URL-encoded.
const TOKEN = "tr+tst/0a1b2c3d4e5f6a7b8c9d=";
const ACCOUNT = "5b7f8c1e-2d3a-4f6b-9c0d-1e2f3a4b5c6d";
const USER_PATH = "/unified/user-directory/users/U1";

describe("Truto client: what it quotes and how long it waits", function () {
  this.timeout(10_000);
  const server = useScriptedServer();
  const client = (extra: Partial<TrutoClientOptions> = {}) =>
    new TrutoClient({ token: TOKEN, baseUrl: server.url, rateLimit: false, retry: { baseDelayMs: 10, maxAttempts: 2 }, ...extra });
  const getUser = (c: TrutoClient, path = USER_PATH, integratedAccountId = ACCOUNT) =>
    c.call({ method: "GET", path, integratedAccountId }, WireUser);
  const post = (c: TrutoClient) =>
    c.call(
      { method: "POST", path: "/unified/user-directory/users/assign-role", integratedAccountId: ACCOUNT, body: { id: "U1" } },
      WireCustomResult,
    );

  describe("the token never leaks", () => {
    const everything = (e: TrutoError) =>
      [e.message, String(e.stack), JSON.stringify(e), JSON.stringify(e.missingBodyFields), JSON.stringify(e.missingQueryParameters)].join(
        "\n",
      );

    it("not through the field names of truto_error_insight", async () => {
      server.answer = (_req, res) =>
        json(res, 400, {
          statusCode: 400,
          error: "Bad Request",
          message: "Missing required fields",
          truto_error_insight: {
            missing_required_query_parameters: { value: [`roles (you sent Bearer ${TOKEN})`] },
            missing_required_body_fields: { value: [TOKEN, encodeURIComponent(TOKEN)] },
          },
        });
      const e = await rejection(post(client()));
      assert.equal(e.code, "TRUTO_VALIDATION");
      assert.ok(!leaksPart(everything(e), TOKEN), "no piece of the token in the error");
      assert.match(e.message, /Missing body fields: \[redacted\], \[redacted\]\./);
    });

    it("not through a text body that straddles any cut", async () => {
      for (const at of [190, 195, 200, MAX_QUOTED_CHARS - 10, MAX_QUOTED_CHARS - 1]) {
        server.answer = (_req, res) => {
          res.writeHead(502, { "content-type": "text/html" });
          res.end(`<html>${"x".repeat(at - 6)}${TOKEN}${"y".repeat(300)}</html>`);
        };
        const e = await rejection(getUser(client()));
        assert.ok(!leaksPart(everything(e), TOKEN), `token at ${at}: no piece of it in the error`);
      }
    });

    it("not URL-encoded, as a vendor echoing the request URL would send it", async () => {
      server.answer = (_req, res) =>
        json(res, 403, { message: `forbidden: GET /v1/users?access=${encodeURIComponent(TOKEN)}&x=1 (token ${TOKEN})` });
      const e = await rejection(getUser(client()));
      assert.ok(!leaksPart(everything(e), TOKEN), "no piece of the token in the error");
      assert.match(e.message, /access=\[redacted\]&x=1/);
    });

    it("while Truto's 401 text stays readable", async () => {
      server.answer = (_req, res) =>
        json(res, 401, { statusCode: 401, error: "Unauthorized", message: "Invalid bearer token. Use the token for this environment." });
      const e = await rejection(getUser(client()));
      assert.match(e.message, /Truto says: "Invalid bearer token\. Use the token for this environment\."/);
    });
  });

  describe("messages stay small", () => {
    it("quotes at most MAX_QUOTED_CHARS of a 30,000-character vendor message", async () => {
      server.answer = (_req, res) => json(res, 422, { message: "v".repeat(30_000), truto_is_remote_error: true });
      const e = await rejection(post(client()));
      assert.equal(e.code, "TRUTO_REMOTE_ERROR");
      assert.ok(e.message.length < 2_000, `message of ${e.message.length} characters`);
      assert.match(e.message, /… \(29500 more characters\)/);
    });
  });

  describe("a Retry-After longer than the call may wait", () => {
    // Pacing on (a setting of its own, so this test has its own governor lane), Retry-After: 150.
    const paced = () => client({ rateLimit: { limit: 47, windowMs: 10_000 }, retry: { maxDelayMs: 1_000, budgetMs: 5_000 } });

    const tooLong = (_req: Seen, res: ServerResponse) =>
      json(res, 429, { statusCode: 429, error: "Too Many Requests", message: "slow down" }, { "retry-after": "150" });

    it("fails at once, saying how long Truto asked and what this call would wait", async () => {
      server.answer = tooLong;
      const t0 = Date.now();
      const e = await rejection(getUser(paced()));
      assert.equal(e.code, "TRUTO_RATE_LIMITED");
      assert.match(
        e.message,
        /Truto asked to wait 150 s before the next request to this integrated account, more than the 1 s this call waits at once/,
      );
      assert.match(e.message, new RegExp(ACCOUNT));
      assert.equal(e.retryAfterMs, 150_000);
      assert.ok(Date.now() - t0 < 1_000, `failed after ${Date.now() - t0} ms`);
    });

    it("makes the next call on the blocked account fail at once too, sending nothing", async function () {
      // Before the fix this call waited the whole 150 s in the governor, then ran with a 1 ms timeout.
      this.timeout(4_000);
      server.answer = tooLong;
      // An account of its own: the test before left ACCOUNT blocked in this process's governor.
      const other = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
      await rejection(getUser(paced(), "/unified/user-directory/users/U3", other));
      const t0 = Date.now();
      const e = await rejection(getUser(paced(), "/unified/user-directory/users/U2", other));
      assert.equal(e.code, "TRUTO_RATE_LIMITED", e.message);
      assert.match(e.message, /Truto asked to wait 1[45]\d s/);
      assert.match(e.message, /GET \/unified\/user-directory\/users\/U2/);
      assert.ok(Date.now() - t0 < 1_000, `failed after ${Date.now() - t0} ms`);
      assert.deepEqual(
        server.seen.map((r) => r.url.split("?")[0]),
        ["/unified/user-directory/users/U3"],
        "nothing sent while the account is blocked",
      );
    });

    it("fails at once when the wait is within the cap but past the call's budget", async () => {
      server.answer = (_req, res) => json(res, 429, { message: "slow down" }, { "retry-after": "3" });
      const c = client({ retry: { maxDelayMs: 10_000, budgetMs: 2_000 } });
      const t0 = Date.now();
      const e = await rejection(getUser(c));
      assert.match(e.message, /asked to wait 3 s .* more than the \d s left of this call's budget/);
      assert.ok(Date.now() - t0 < 1_000);
    });
  });

  describe("Truto's two limits, and the vendor's quota", () => {
    /** The most requests the server saw in any window of `windowMs` (by arrival). */
    const busiest = (times: readonly number[], windowMs: number) =>
      Math.max(0, ...times.map((from) => times.filter((t) => t >= from && t < from + windowMs).length));
    const arrivals = () => {
      const seenAt: { at: number; account: string }[] = [];
      server.answer = (req, res) => {
        seenAt.push({ at: Date.now(), account: new URL(req.url, server.url).searchParams.get("integrated_account_id") ?? "-" });
        json(res, 200, { id: "U1", roles: [] });
      };
      return seenAt;
    };

    it("keeps all accounts of one token under the per-token limit, and each account under its own", async () => {
      const seenAt = arrivals();
      // Settings of their own (so a governor of their own): 4 per account and 6 per token, per 400 ms.
      const c = client({
        token: `${TOKEN}-two-limits`,
        rateLimit: { limit: 4, windowMs: 400 },
        tokenRateLimit: { limit: 6, windowMs: 400 },
      });
      const accounts = ["acct-a", "acct-b", "acct-c"];
      await Promise.all(accounts.flatMap((account) => Array.from({ length: 6 }, () => getUser(c, USER_PATH, account))));
      assert.equal(seenAt.length, 18);
      const all = seenAt.map((s) => s.at);
      assert.ok(busiest(all, 400) <= 6, `busiest window for the token: ${busiest(all, 400)}`);
      for (const account of accounts) {
        const times = seenAt.filter((s) => s.account === account).map((s) => s.at);
        assert.ok(busiest(times, 400) <= 4, `${account}: ${busiest(times, 400)}`);
      }
    });

    it("paces a request that names no account (the integrated account's own record) by the token", async () => {
      const seenAt = arrivals();
      const c = client({
        token: `${TOKEN}-no-account`,
        rateLimit: { limit: 4, windowMs: 400 },
        tokenRateLimit: { limit: 3, windowMs: 300 },
      });
      await Promise.all(Array.from({ length: 7 }, (_, i) => c.call({ method: "GET", path: `/integrated-account/a${i}` }, WireUser)));
      assert.ok(
        busiest(
          seenAt.map((s) => s.at),
          300,
        ) <= 3,
      );
    });

    it("slows an account to the vendor's quota that ratelimit-* reports, whatever Truto's own window", async () => {
      const seenAt: number[] = [];
      server.answer = (_req, res) => {
        seenAt.push(Date.now());
        // The vendor has 2 requests left in the next second; Truto's own limit (50 per 10 s) is far away.
        json(res, 200, { id: "U1", roles: [] }, { "ratelimit-limit": "20;w=60", "ratelimit-remaining": "2", "ratelimit-reset": "1" });
      };
      const c = client({ token: `${TOKEN}-vendor-quota`, rateLimit: { limit: 50, windowMs: 10_000 } });
      for (let i = 0; i < 3; i++) await getUser(c, USER_PATH, "acct-vendor-quota");
      const gaps = seenAt.slice(1).map((t, i) => t - seenAt[i]);
      for (const gap of gaps) assert.ok(gap >= 450, `gap ${gap} ms: 2 left in 1 s is one per 500 ms`);
    });
  });

  describe("role writes split to fit a safe URL", () => {
    const ASSIGN = "/unified/user-directory/users/assign-role";
    const scope = { integratedAccountId: ACCOUNT, userId: "64a1f0c2e4b0a1a1a1a1a001" };
    const longRoles = Array.from({ length: 20 }, (_, i) => ({ id: `${i}-${"r".repeat(900)}` }));
    const rolesOf = (r: Seen) => (JSON.parse(r.body) as { roles: { id: string }[] }).roles.map((x) => x.id);
    const urlBytes = (r: Seen) => Buffer.byteLength(`${server.url}${r.url}`);

    it("sends 20 roles of 900 characters as several assign-role requests, each URL at most MAX_URL_BYTES", async () => {
      server.answer = (_req, res) => json(res, 200, { result: {} });
      const outcomes = await ud.assignRoles(client(), RULES.jumpcloud, scope, longRoles);
      const writes = server.seen.filter((r) => r.url.startsWith(ASSIGN));
      assert.ok(writes.length > 1, `${writes.length} request(s)`);
      for (const w of writes) assert.ok(urlBytes(w) <= ud.MAX_URL_BYTES, `a URL of ${urlBytes(w)} bytes`);
      assert.deepEqual(
        writes.flatMap(rolesOf),
        longRoles.map((r) => r.id),
        "every role once, in order, in the bodies",
      );
      assert.deepEqual(
        outcomes.flatMap((o) => o.roles.map((r) => r.id)),
        longRoles.map((r) => r.id),
        "one outcome per request, covering every role",
      );
      assert.deepEqual(
        outcomes.map((o) => o.error),
        outcomes.map(() => undefined),
      );
      const keys = writes.map((w) => w.headers["idempotency-key"]);
      assert.equal(new Set(keys).size, writes.length, "each request is a logical write of its own, with its own Idempotency-Key");
    });

    it("packs short roles into as few requests as fit (600 roles)", async () => {
      server.answer = (_req, res) => json(res, 200, { result: {} });
      const roles = Array.from({ length: 600 }, (_, i) => ({ id: `role-${i}` }));
      await ud.assignRoles(client(), RULES.jumpcloud, scope, roles);
      const writes = server.seen.filter((r) => r.url.startsWith(ASSIGN));
      for (const w of writes) assert.ok(urlBytes(w) <= ud.MAX_URL_BYTES, `a URL of ${urlBytes(w)} bytes`);
      assert.ok(writes.length >= 2 && writes.length <= 30, `${writes.length} requests`);
      assert.equal(writes.flatMap(rolesOf).length, 600);
    });

    it("a retried part keeps its own Idempotency-Key", async () => {
      let failed = false;
      server.answer = (_req, res) => {
        if (!failed) {
          failed = true;
          return json(res, 503, { message: "try again", truto_is_remote_error: true });
        }
        json(res, 200, { result: {} });
      };
      await ud.assignRoles(client(), RULES.jumpcloud, scope, longRoles);
      const writes = server.seen.filter((r) => r.url.startsWith(ASSIGN));
      const byKey = new Map<string, string[][]>();
      for (const w of writes)
        byKey.set(String(w.headers["idempotency-key"]), [...(byKey.get(String(w.headers["idempotency-key"])) ?? []), rolesOf(w)]);
      const retried = [...byKey.values()].filter((sent) => sent.length > 1);
      assert.equal(retried.length, 1, "one part was sent twice, under one key");
      assert.deepEqual(retried[0][0], retried[0][1], "with the same roles");
    });

    it("sends in one request within MAX_URL_BYTES any role whose single-role query fits MAX_SINGLE_ROLE_QUERY_BYTES", async () => {
      server.answer = (_req, res) => json(res, 200, { result: {} });
      const wide = {
        ...scope,
        workspaceId: "T0PLATFORM",
        organizations: [{ id: "4201839312", name: "Platform Org" }],
        remoteQuery: { hint: "ü" },
      };
      // The longest role id (of 3-byte characters, 9 bytes each once encoded) that still passes the bound.
      let id = "";
      while (ud.singleRoleQueryBytes(wide, { id: `${id}角` }) <= ud.MAX_SINGLE_ROLE_QUERY_BYTES) id += "角";
      assert.ok(ud.singleRoleQueryBytes(wide, { id }) > ud.MAX_SINGLE_ROLE_QUERY_BYTES - 9);
      for (const rule of [RULES.jumpcloud, RULES.elasticcloud, RULES.slackenterprise]) {
        server.seen = [];
        const outcomes = await ud.assignRoles(client(), rule, wide, [{ id }]);
        assert.equal(outcomes.length, 1);
        assert.ok(urlBytes(server.seen[0]) <= ud.MAX_URL_BYTES, `${rule.slug}: a URL of ${urlBytes(server.seen[0])} bytes`);
      }
    });

    it("does not split where the roles travel only in the body (JumpCloud's unassign-role)", async () => {
      server.answer = (_req, res) => json(res, 200, { result: {} });
      const outcomes = await ud.unassignRoles(client(), RULES.jumpcloud, scope, longRoles);
      assert.equal(outcomes.length, 1);
      assert.equal(server.seen.length, 1);
      assert.deepEqual(
        rolesOf(server.seen[0]),
        longRoles.map((r) => r.id),
      );
    });
  });
});
