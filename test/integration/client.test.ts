/**
 * The Truto client against the sandbox over loopback: placement, errors, retries, idempotency keys,
 * encoding, redaction, pagination and pacing.
 */
import { strict as assert } from "node:assert";
import { RULES } from "../../src/integrations/rules";
import { TrutoClient, encodePathSegment, type TrutoClientOptions } from "../../src/truto/client";
import { TrutoErrorCodes, isTrutoError, type TrutoError } from "../../src/truto/errors";
import { WireCustomResult, WireUser } from "../../src/truto/wire";
import * as ud from "../../src/truto/user-directory";
import { SEED_IDS, type SandboxState } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";
import { rejection } from "../support/truto-assertions";

const acct = SEED_IDS.accounts;
const UNASSIGN = "/unified/user-directory/users/unassign-role";
const ASSIGN = "/unified/user-directory/users/assign-role";

describe("Truto client against the sandbox", function () {
  this.timeout(30_000);
  const sandbox = useSandbox({ rateLimit: false });
  const client = (extra: Partial<TrutoClientOptions> = {}) =>
    new TrutoClient({ token: sandbox.token, baseUrl: sandbox.url, rateLimit: false, retry: { baseDelayMs: 20, maxAttempts: 4 }, ...extra });
  const slackScope = { integratedAccountId: acct.slackenterprise, userId: "U02BOB", workspaceId: "T0PLATFORM" };
  const heldBy = async (accountId: string, userId: string) =>
    (await sandbox.admin.state()).users.find((u) => u.accountId === accountId && u.id === userId)?.roles ?? [];

  describe("placement from the rules table", () => {
    it("assigns and unassigns on Slack Enterprise one role per request, identifying fields in the query", async () => {
      const c = client();
      const roles = [{ id: "Rl03" }, { id: "Rl0J" }];
      const granted = await ud.assignRoles(c, RULES.slackenterprise, slackScope, roles);
      assert.deepEqual(
        granted.map((o) => o.error),
        [undefined, undefined],
      );
      assert.equal((await heldBy(acct.slackenterprise, "U02BOB")).length, 2);
      const revoked = await ud.unassignRoles(c, RULES.slackenterprise, slackScope, roles);
      assert.deepEqual(
        revoked.map((o) => o.error),
        [undefined, undefined],
      );
      assert.equal((await heldBy(acct.slackenterprise, "U02BOB")).length, 0);
      const unassigns = (await sandbox.admin.requests()).filter((e) => e.path === UNASSIGN);
      assert.equal(unassigns.length, 2);
      for (const e of unassigns) {
        const q = e.query as Record<string, unknown>;
        assert.equal(q.id, "U02BOB");
        assert.equal(q.workspace_id, "T0PLATFORM");
        assert.equal((q.roles as { id: string }[]).length, 1);
      }
    });

    it("sends JumpCloud's id and roles in the body of unassign-role", async () => {
      const c = client();
      const scope = { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a002" };
      const out = await ud.unassignRoles(c, RULES.jumpcloud, scope, [{ id: "read-only" }]);
      assert.equal(out[0].error, undefined);
      const [e] = (await sandbox.admin.requests()).filter((x) => x.path === UNASSIGN);
      assert.deepEqual((e.body as Record<string, unknown>).roles, [{ id: "read-only" }]);
      assert.equal((e.body as Record<string, unknown>).id, scope.userId);
      assert.deepEqual(await heldBy(acct.jumpcloud, scope.userId), []);
    });

    it("revokes Elastic Cloud's whole scope with one request that carries no role", async () => {
      const c = client();
      const scope = { integratedAccountId: acct.elasticcloud, userId: "1183940203", organizations: [{ id: "4201839312" }] };
      await ud.assignRoles(c, RULES.elasticcloud, scope, [{ id: "deployment-editor" }]);
      assert.equal((await heldBy(acct.elasticcloud, scope.userId)).length, 2, "the seed's viewer role plus the editor role");
      await sandbox.admin.clearRequests();
      const out = await ud.unassignRoles(c, RULES.elasticcloud, scope, [{ id: "deployment-editor" }]);
      assert.equal(out.length, 1);
      const [e] = await sandbox.admin.requests();
      assert.equal((e.query as Record<string, unknown>).id, scope.userId);
      assert.equal((e.body as Record<string, unknown>).roles, undefined, "Elastic's unassign-role carries no role");
      assert.deepEqual(await heldBy(acct.elasticcloud, scope.userId), [], "scope-wide: every role in the organization is gone");
    });

    it("reads Slack holdings from role_assignments and the others from the user", async () => {
      const c = client();
      await ud.assignRoles(c, RULES.slackenterprise, slackScope, [{ id: "Rl0A" }]);
      const slack = await ud.readHolding(c, RULES.slackenterprise, slackScope, true);
      assert.deepEqual(slack.held, [{ id: "Rl0A", workspace: "T0PLATFORM" }]);
      assert.equal(slack.user?.name, "Bob Okafor");
      const jc = await ud.readHolding(
        c,
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a002" },
        true,
      );
      assert.deepEqual(
        jc.held.map((r) => r.id),
        ["read-only"],
      );
      const gone = await ud.readHolding(c, RULES.jumpcloud, { integratedAccountId: acct.jumpcloud, userId: "nobody" }, true);
      assert.equal(gone.user, null);
      const paths = (await sandbox.admin.requests()).map((e) => e.path);
      assert.ok(paths.includes("/unified/user-directory/role_assignments"));
    });

    describe("reads about some roles (ReadAbout)", () => {
      const LISTING = "/unified/user-directory/role_assignments";
      const USER = `/unified/user-directory/users/${slackScope.userId}`;
      const logged = async (path: string) => (await sandbox.admin.requests()).filter((e) => e.path === path);
      const roleFilter = (e: { query: Record<string, unknown> }) => (e.query.remote_query as Record<string, unknown> | undefined)?.role_ids;

      it("narrows a Slack listing to those roles through remote_query[role_ids], and answers only about them", async () => {
        const c = client();
        await ud.assignRoles(c, RULES.slackenterprise, slackScope, [{ id: "Rl0D" }, { id: "Rl01" }]);
        // The filter is trusted once a narrowed listing of two held roles matched the whole one (see testFilter).
        await ud.readHolding(c, RULES.slackenterprise, slackScope, true, { roles: ["Rl0D", "Rl01"] });
        await sandbox.admin.clearRequests();
        const narrowed = await ud.readHolding(c, RULES.slackenterprise, slackScope, true, { roles: ["Rl0D"] });
        assert.deepEqual(narrowed.held, [{ id: "Rl0D", workspace: "T0PLATFORM" }]);
        assert.deepEqual((await logged(LISTING)).map(roleFilter), ["Rl0D"]);
        const whole = await ud.readHolding(c, RULES.slackenterprise, slackScope, true);
        assert.deepEqual(whole.held.map((g) => g.id).sort(), ["Rl01", "Rl0D"], "without ReadAbout, every role");
        // The sandbox filters as Slack does: comma-separated or repeated, rows of other roles left out.
        const rows = await ud.listRoleAssignments(c, acct.slackenterprise, "T0PLATFORM", 200, undefined, new Set(["Rl01", "Rl0D"]));
        assert.deepEqual([...new Set(rows.map((r) => r.role_id))].sort(), ["Rl01", "Rl0D"]);
        const res = await fetch(
          `${sandbox.url}${LISTING}?integrated_account_id=${acct.slackenterprise}&workspace_id=T0PLATFORM&remote_query[role_ids][]=Rl01`,
          { headers: { authorization: `Bearer ${sandbox.token}` } },
        );
        const body = (await res.json()) as { result: { role_id: string }[] };
        assert.deepEqual([...new Set(body.result.map((r) => r.role_id))], ["Rl01"]);
      });

      it("lists the whole workspace when the row's switch is off, and still answers only about the roles asked", async () => {
        const c = client();
        await ud.assignRoles(c, RULES.slackenterprise, slackScope, [{ id: "Rl0D" }, { id: "Rl01" }]);
        await sandbox.admin.clearRequests();
        const off = { ...RULES.slackenterprise, assignmentRoleFilter: "off" as const };
        const h = await ud.readHolding(c, off, slackScope, true, { roles: ["Rl01"] });
        assert.deepEqual(h.held, [{ id: "Rl01", workspace: "T0PLATFORM" }]);
        assert.deepEqual((await logged(LISTING)).map(roleFilter), [undefined]);
        const jc = await ud.readHolding(
          c,
          RULES.jumpcloud,
          { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a002" },
          true,
          {
            roles: ["manager"],
          },
        );
        assert.deepEqual(jc.held, [], "JumpCloud's read-only is not among the roles asked about");
      });

      it("takes the user as last read instead of GET users/{id} when the listing shows them holding a role", async () => {
        // No read cache, so no user listing answers first (it would, with names and status, when it is worth it).
        const c = client({ readCacheMs: 0 });
        await ud.assignRoles(c, RULES.slackenterprise, slackScope, [{ id: "Rl0D" }]);
        const known = { id: slackScope.userId, name: "Bob (as recorded)" };
        await sandbox.admin.clearRequests();
        const shown = await ud.readHolding(c, RULES.slackenterprise, slackScope, true, { roles: ["Rl0D"], user: known });
        assert.deepEqual(shown.user, known);
        assert.equal((await logged(USER)).length, 0, "no user read: the listing proves the user exists");
        const notShown = await ud.readHolding(c, RULES.slackenterprise, slackScope, true, { roles: ["Rl0C"], user: known });
        assert.equal(notShown.user?.name, "Bob Okafor", "holding none of them, the user is read: gone or not is for GET users/{id} to say");
        assert.equal((await logged(USER)).length, 1);
      });
    });

    it("grants 20 roles of 900 characters on JumpCloud in requests the server accepts", async () => {
      // Before the split: one assign-role with a 22 KB URL, which the sandbox (like many servers) answers 431.
      const scope = { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a003" };
      const roles = Array.from({ length: 20 }, (_, i) => ({ id: `long-${i}-${"x".repeat(900)}` }));
      const state: SandboxState = await sandbox.admin.state();
      for (const r of roles) state.roles.push({ accountId: acct.jumpcloud, id: r.id, name: r.id.slice(0, 12) });
      await sandbox.admin.putState(state);
      const outcomes = await ud.assignRoles(client(), RULES.jumpcloud, scope, roles);
      assert.deepEqual(
        outcomes.map((o) => (o.error as Error | undefined)?.message),
        outcomes.map(() => undefined),
      );
      const held = (await heldBy(acct.jumpcloud, scope.userId)).map((r) => r.id);
      for (const r of roles) assert.ok(held.includes(r.id), `${r.id.slice(0, 12)}… is held`);
    });

    it("names the integration of an account", async () => {
      assert.equal(await ud.getIntegration(client(), acct.elasticcloud), "elasticcloud");
    });

    it("reads an account's integration, status and sandbox flag, and asks again while it is not active", async () => {
      const state: SandboxState = await sandbox.admin.state();
      Object.assign(
        state.accounts.find((a) => a.id === acct.slackenterprise)!,
        { status: "connecting", isSandbox: true },
      );
      await sandbox.admin.putState(state);
      const c = client();
      assert.deepEqual(await ud.getAccount(c, acct.slackenterprise), {
        integration: "slackenterprise",
        status: "connecting",
        isSandbox: true,
      });
      await sandbox.admin.reset();
      assert.deepEqual(await ud.getAccount(c, acct.slackenterprise), {
        integration: "slackenterprise",
        status: "active",
        isSandbox: false,
      });
      await ud.getAccount(c, acct.slackenterprise);
      const lookups = (await sandbox.admin.requests()).filter((e) => e.path === `/integrated-account/${acct.slackenterprise}`);
      assert.equal(lookups.length, 1, "an active account is looked up once per process");
    });
  });

  describe("errors", () => {
    it("401 is TRUTO_UNAUTHORIZED and never shows the token", async () => {
      const bad = "wrong-token-0123456789abcdef";
      const e = await rejection(ud.getIntegration(client({ token: bad }), acct.jumpcloud));
      assert.equal(e.code, TrutoErrorCodes.unauthorized);
      assert.equal(e.status, 401);
      assert.ok(!e.message.includes(bad) && !JSON.stringify(e).includes(bad) && !String(e.stack).includes(bad));
      assert.match(e.message, /TRUTO_API_TOKEN/);
    });

    it("400 with truto_error_insight is TRUTO_VALIDATION naming the missing fields", async () => {
      // Slack's roles in the body instead of the query: Truto answers with the missing query parameter.
      const e = await rejection(
        client().call(
          {
            method: "POST",
            path: UNASSIGN,
            integratedAccountId: acct.slackenterprise,
            query: { id: "U02BOB", workspace_id: "T0PLATFORM" },
            body: { roles: [{ id: "Rl0A" }] },
          },
          WireCustomResult,
        ),
      );
      assert.equal(e.code, TrutoErrorCodes.validation);
      assert.ok(
        e.missingQueryParameters.some((f) => f.startsWith("roles")),
        String(e.missingQueryParameters),
      );
      assert.match(e.message, /Missing query parameters: roles/);
      assert.match(e.message, /POST \/unified\/user-directory\/users\/unassign-role/);
      assert.match(e.message, new RegExp(acct.slackenterprise));
    });

    it("a vendor rejection is TRUTO_REMOTE_ERROR with the remote flag", async () => {
      const [out] = await ud.assignRoles(client(), RULES.slackenterprise, slackScope, [{ id: "NOPE" }]);
      const e = out.error as TrutoError;
      assert.equal(e.code, TrutoErrorCodes.remote);
      assert.equal(e.remote, true);
    });

    it("maps 403, 404, 409 and 422 and does not retry them", async () => {
      const cases: [number, string][] = [
        [403, TrutoErrorCodes.forbidden],
        [404, TrutoErrorCodes.notFound],
        [409, TrutoErrorCodes.conflict],
        [422, TrutoErrorCodes.validation],
        [400, TrutoErrorCodes.validation],
      ];
      for (const [status, code] of cases) {
        await sandbox.admin.clearRequests();
        await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 5, status });
        const [out] = await ud.assignRoles(
          client(),
          RULES.jumpcloud,
          { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" },
          [{ id: "manager" }],
        );
        assert.equal((out.error as TrutoError).code, code, `status ${status}`);
        assert.equal((await sandbox.admin.requests()).filter((x) => x.path === ASSIGN).length, 1, `status ${status} is not retried`);
        await sandbox.admin.clearFaults();
      }
    });

    it("strict vendor mode: assigning a held role is TRUTO_CONFLICT", async () => {
      await sandbox.admin.config({ strictIdempotency: true });
      const [out] = await ud.assignRoles(client(), RULES.slackenterprise, { ...slackScope, userId: "U01ALICE" }, [{ id: "Rl0A" }]);
      assert.equal((out.error as TrutoError).code, TrutoErrorCodes.conflict);
    });

    it("a timeout is TRUTO_TIMEOUT, a dropped connection TRUTO_NETWORK, a garbled write answer TRUTO_BAD_RESPONSE", async () => {
      const one = client({ timeoutMs: 200, retry: { maxAttempts: 1 } });
      await sandbox.admin.faults({ method: "GET", path: "/integrated-account/*", count: 1, delayMs: 1_000 });
      assert.equal((await rejection(ud.getIntegration(one, acct.blackline))).code, TrutoErrorCodes.timeout);
      await sandbox.admin.faults({ method: "GET", path: "/integrated-account/*", count: 1, drop: true });
      assert.equal((await rejection(ud.getIntegration(one, acct.crowdstrike))).code, TrutoErrorCodes.network);
      await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 1, malformed: true });
      const [out] = await ud.assignRoles(
        client(),
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" },
        [{ id: "manager" }],
      );
      assert.equal((out.error as TrutoError).code, TrutoErrorCodes.badResponse);
    });

    it("a response of the wrong shape is TRUTO_BAD_RESPONSE naming where", async () => {
      await sandbox.admin.faults({
        method: "GET",
        path: "/unified/user-directory/users/*",
        count: 1,
        status: 200,
        body: { id: { nested: true } },
      });
      const e = await rejection(ud.getUser(client(), { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" }, true));
      assert.equal(e.code, TrutoErrorCodes.badResponse);
      assert.match(e.message, /id/);
    });
  });

  describe("retries", () => {
    it("honours Retry-After in seconds and keeps one idempotency key across the retries", async () => {
      await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 1, status: 429, retryAfter: 1 });
      const [out] = await ud.assignRoles(
        client(),
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" },
        [{ id: "manager" }],
      );
      assert.equal(out.error, undefined);
      const log = (await sandbox.admin.requests()).filter((e) => e.path === ASSIGN);
      assert.deepEqual(
        log.map((e) => e.status),
        [429, 200],
      );
      const gap = (x: { at: string }, y: { at: string }) => Date.parse(y.at) - Date.parse(x.at);
      assert.ok(gap(log[0], log[1]) >= 950, `waited ${gap(log[0], log[1])} ms`);
      assert.ok(log[0].idempotencyKey && log[0].idempotencyKey === log[1].idempotencyKey);
      const [again] = await ud.assignRoles(
        client(),
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" },
        [{ id: "help-desk" }],
      );
      assert.equal(again.error, undefined);
      const keys = (await sandbox.admin.requests()).filter((e) => e.path === ASSIGN).map((e) => e.idempotencyKey);
      assert.notEqual(keys[2], keys[0], "a new logical call has a new key");
    });

    it("honours Retry-After as an HTTP date, and ratelimit-reset alone", async () => {
      const date = new Date(Date.now() + 2_000).toUTCString();
      await sandbox.admin.faults({ method: "GET", path: "/integrated-account/*", count: 1, status: 429, retryAfter: date });
      await ud.getIntegration(client(), acct.teamviewer);
      await sandbox.admin.faults({
        method: "GET",
        path: "/unified/user-directory/users/*",
        count: 1,
        status: 429,
        headers: { "ratelimit-reset": "1" },
      });
      await ud.getUser(client(), { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a001" }, true);
      const log = await sandbox.admin.requests();
      const [a, b] = log.filter((e) => e.path.startsWith("/integrated-account/"));
      const gap = (x: { at: string }, y: { at: string }) => Date.parse(y.at) - Date.parse(x.at);
      assert.ok(gap(a, b) >= 900, `HTTP-date wait ${gap(a, b)} ms`);
      const [c, d] = log.filter((e) => e.path.startsWith("/unified/user-directory/users/"));
      assert.ok(gap(c, d) >= 950, `ratelimit-reset wait ${gap(c, d)} ms`);
    });

    it("retries 502, the vendor's 503, 504 and a dropped connection, then succeeds", async () => {
      for (const fault of [{ status: 502 }, { status: 503, remote: true }, { status: 504 }, { drop: true }]) {
        await sandbox.admin.clearRequests();
        await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 1, ...fault });
        const [out] = await ud.assignRoles(
          client(),
          RULES.jumpcloud,
          { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a005" },
          [{ id: "manager" }],
        );
        assert.equal(out.error, undefined, JSON.stringify(fault));
        assert.equal((await sandbox.admin.requests()).filter((e) => e.path === ASSIGN).length, 2);
      }
    });

    it("does not retry Truto's own 503: the account is blocked, TRUTO_ACCOUNT_BLOCKED names it and says what to do", async () => {
      const state: SandboxState = await sandbox.admin.state();
      state.accounts.find((a) => a.id === acct.jumpcloud)!.blocked = true;
      await sandbox.admin.putState(state);
      const [out] = await ud.assignRoles(
        client(),
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a005" },
        [{ id: "manager" }],
      );
      assert.ok(isTrutoError(out.error, TrutoErrorCodes.accountBlocked), String(out.error));
      const e = out.error as TrutoError;
      assert.equal(e.status, 503);
      assert.equal(e.remote, false);
      assert.equal(e.integratedAccountId, acct.jumpcloud);
      assert.match(e.message, new RegExp(`integrated account ${acct.jumpcloud}`));
      assert.match(e.message, /retrying cannot help/);
      assert.match(e.message, /Truto dashboard or contact Truto support/);
      assert.equal((await sandbox.admin.requests()).filter((x) => x.path === ASSIGN).length, 1, "sent once, not retried");
    });

    it("retries the vendor's 503 (truto_is_remote_error) until the policy gives up, as a server error", async () => {
      await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 100, status: 503, remote: true });
      const [out] = await ud.assignRoles(
        client(),
        RULES.jumpcloud,
        { integratedAccountId: acct.jumpcloud, userId: "64a1f0c2e4b0a1a1a1a1a005" },
        [{ id: "manager" }],
      );
      assert.ok(isTrutoError(out.error, TrutoErrorCodes.server), String(out.error));
      assert.equal((out.error as TrutoError).remote, true);
      assert.equal((await sandbox.admin.requests()).filter((x) => x.path === ASSIGN).length, 4, "every attempt the policy allows");
    });

    it("gives up as TRUTO_RATE_LIMITED when Retry-After exceeds the per-wait cap", async () => {
      await sandbox.admin.faults({ method: "GET", path: "/integrated-account/*", count: 1, status: 429, retryAfter: 60 });
      const e = await rejection(ud.getIntegration(client({ retry: { maxDelayMs: 1_000 } }), acct.blackline));
      assert.equal(e.code, TrutoErrorCodes.rateLimited);
      assert.equal(e.retryAfterMs, 60_000);
    });
  });

  describe("encoding", () => {
    it("keeps odd user ids as one path segment and reads them back", async () => {
      const ids = ["a/b", "../x", "./", "100%", "q?x=1#frag", "line\nbreak", "Zoë 山田"];
      const state: SandboxState = await sandbox.admin.state();
      for (const id of ids)
        state.users.push({ accountId: acct.jumpcloud, id, name: id, email: "odd@example.com", status: "active", roles: [] });
      await sandbox.admin.putState(state);
      for (const id of ids) {
        const user = await ud.getUser(client(), { integratedAccountId: acct.jumpcloud, userId: id }, true);
        assert.equal(user?.id, id);
      }
    });

    it("refuses a user id that URL parsers would resolve as a dot-segment", () => {
      // WHATWG URL parsers treat %2E%2E as "..", so such an id cannot be addressed in a path.
      assert.throws(
        () => encodePathSegment(".."),
        (e: unknown) => isTrutoError(e, TrutoErrorCodes.validation) && /cannot be sent/.test(String(e)),
      );
      assert.throws(() => encodePathSegment("."), /cannot be sent/);
    });

    it("encodes roles as roles[0][id] and never lets remoteQuery override the call's own fields", async () => {
      await ud.unassignRoles(
        client(),
        RULES.slackenterprise,
        {
          ...slackScope,
          remoteQuery: { id: "EVIL", integrated_account_id: "x", roles: "y", workspace_id: "z", "a]&id=1": 1, page_hint: "fast" },
        },
        [{ id: "Rl0A" }],
      );
      const [e] = (await sandbox.admin.requests()).filter((x) => x.path === UNASSIGN);
      const q = e.query as Record<string, unknown>;
      assert.equal(q.id, "U02BOB");
      assert.equal(q.workspace_id, "T0PLATFORM");
      assert.deepEqual(q.roles, [{ id: "Rl0A" }]);
      assert.equal(e.integratedAccountId, acct.slackenterprise);
      assert.deepEqual(q.remote_query, { page_hint: "fast" });
    });
  });

  describe("the read cache", () => {
    const jc = { integratedAccountId: acct.jumpcloud, userId: SEED_IDS.jumpcloud.users.bob };
    const userReads = async () =>
      (await sandbox.admin.requests()).filter((r) => r.method === "GET" && r.path.endsWith(`/users/${jc.userId}`)).length;

    it("serves reads of one user within its lifetime from one request, and a write makes the next read fetch again", async () => {
      const c = client({ readCacheMs: 60_000 });
      await sandbox.admin.clearRequests();
      await Promise.all([ud.readHolding(c, RULES.jumpcloud, jc), ud.readHolding(c, RULES.jumpcloud, jc)]);
      await ud.readHolding(c, RULES.jumpcloud, jc);
      assert.equal(await userReads(), 1, "three reads, one request");
      await ud.assignRoles(c, RULES.jumpcloud, jc, [{ id: "help-desk" }]);
      const after = await ud.readHolding(c, RULES.jumpcloud, jc);
      assert.ok(
        after.held.some((g) => g.id === "help-desk"),
        "the read after the write sees it",
      );
      assert.equal(await userReads(), 2);
    });

    it("reads every time with readCacheMs 0 (TRUTO_READ_CACHE_MS=0), and a fresh read never uses it", async () => {
      const off = client({ readCacheMs: 0 });
      await sandbox.admin.clearRequests();
      await ud.readHolding(off, RULES.jumpcloud, jc);
      await ud.readHolding(off, RULES.jumpcloud, jc);
      assert.equal(await userReads(), 2);
      const on = client({ readCacheMs: 60_000 });
      await ud.readHolding(on, RULES.jumpcloud, jc);
      const before = await userReads();
      await ud.readHolding(on, RULES.jumpcloud, jc, true);
      assert.equal(await userReads(), before + 1, "the fresh read went to Truto");
    });
  });

  it("follows cursors to the last page", async () => {
    const state: SandboxState = await sandbox.admin.state();
    for (let n = 0; n < 250; n++)
      state.users.push({
        accountId: acct.teamviewer,
        id: `tv-extra-${n}`,
        name: `Extra ${n}`,
        email: `x${n}@example.com`,
        status: "active",
        roles: [],
      });
    await sandbox.admin.putState(state);
    await sandbox.admin.clearRequests();
    const users = await ud.listUsers(client(), acct.teamviewer);
    assert.equal(new Set(users.map((u) => u.id)).size, 256, "the seed's six and the 250 added");
    assert.equal((await sandbox.admin.requests()).length, 3, "three pages of 100");
  });

  describe("pacing", function () {
    const limited = useSandbox({ rateLimit: { limit: 40, windowMs: 1_000 } });
    it("paces a burst of 200 calls on one account without a single 429", async () => {
      const c = new TrutoClient({ token: limited.token, baseUrl: limited.url, rateLimit: { limit: 40, windowMs: 1_000 } });
      await Promise.all(
        Array.from({ length: 200 }, () =>
          c.call(
            { method: "GET", path: "/unified/user-directory/users/64a1f0c2e4b0a1a1a1a1a001", integratedAccountId: acct.jumpcloud },
            WireUser,
          ),
        ),
      );
      const statuses = (await limited.admin.requests()).map((e) => e.status);
      assert.equal(statuses.length, 200);
      assert.equal(statuses.filter((s) => s === 429).length, 0);
    });
  });
});
