import { strict as assert } from "node:assert";
import * as http from "node:http";
import * as qs from "qs";
import { defaultSeed, SEED_IDS, type SandboxState } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

// node:http sends the path exactly as given, unlike URL-normalising clients.
function rawGet(base: string, path: string, token: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

const { accounts, slackenterprise: slack } = SEED_IDS;
const USERS = "/unified/user-directory/users";

describe("sandbox API basics", () => {
  const sb = useSandbox();

  describe("auth", () => {
    it("answers 401 with Truto's three fields when the token is missing", async () => {
      const response = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.jumpcloud}`, { token: null });
      assert.equal(response.status, 401);
      assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"]);
      assert.equal(response.body.error, "Unauthorized");
    });

    it("answers 401 for a wrong token without echoing either token", async () => {
      const response = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.jumpcloud}`, { token: "sbx_wrong" });
      assert.equal(response.status, 401);
      assert.ok(!response.text.includes("sbx_wrong"));
      assert.ok(!response.text.includes(sb.token));
    });

    it("guards the admin API and /integrated-account too", async () => {
      for (const path of ["/_sandbox/state", `/integrated-account/${accounts.jumpcloud}`]) {
        const response = await sb.call("GET", path, { token: "nope" });
        assert.equal(response.status, 401, path);
      }
    });

    it("uses a generated sbx_ token by default", () => {
      assert.match(sb.token, /^sbx_[0-9a-f]{32}$/);
    });
  });

  describe("integrated accounts", () => {
    it("answers 400 with only the three fields when integrated_account_id is missing", async () => {
      const response = await sb.call("GET", USERS);
      assert.equal(response.status, 400);
      assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"]);
      assert.match(response.body.message, /integrated_account_id/);
    });

    it("answers 404 Not Found for an unknown account", async () => {
      const response = await sb.call("GET", `${USERS}?integrated_account_id=00000000-0000-4000-8000-000000000000`);
      assert.equal(response.status, 404);
      assert.equal(response.body.error, "Not Found");
    });

    it("serves GET /integrated-account/{id} with the integration slug as integration.name", async () => {
      for (const [slug, id] of Object.entries(accounts)) {
        const response = await sb.call("GET", `/integrated-account/${id}`);
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.id, id);
        assert.equal(response.body.integration.name, slug);
        assert.equal(response.body.integration.category, "user-directory");
        assert.equal(response.body.status, "active");
        assert.equal(response.body.is_sandbox, false);
        for (const key of ["tenant_id", "environment_integration_id", "created_at", "updated_at"]) assert.ok(response.body[key], key);
      }
      const missing = await sb.call("GET", "/integrated-account/nope");
      assert.equal(missing.status, 404);
    });
  });

  describe("reads", () => {
    it("returns the unified user object directly", async () => {
      const response = await sb.call("GET", `${USERS}/${slack.users.alice}?integrated_account_id=${accounts.slackenterprise}`);
      assert.equal(response.status, 200);
      const user = response.body;
      assert.equal(user.id, "U01ALICE");
      assert.equal(user.name, "Alice Nguyen");
      assert.equal(user.first_name, "Alice");
      assert.equal(user.last_name, "Nguyen");
      assert.deepEqual(user.emails, [{ email: "alice@example.com", is_primary: true, type: "work" }]);
      assert.equal(user.status, "active");
      assert.deepEqual(user.roles, [{ id: "Rl0A", name: "Channel Manager", workspace: "T0PLATFORM" }]);
      assert.deepEqual(
        user.workspaces.map((w: { id: string }) => w.id),
        ["T0PLATFORM", "T0SALES"],
      );
      assert.ok(user.remote_data);
    });

    it("honours truto_ignore_remote_data and truto_exclude_fields", async () => {
      const query = qs.stringify({
        integrated_account_id: accounts.jumpcloud,
        truto_ignore_remote_data: true,
        truto_exclude_fields: ["emails"],
      });
      const response = await sb.call("GET", `${USERS}/${SEED_IDS.jumpcloud.users.bob}?${query}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.remote_data, undefined);
      assert.equal(response.body.emails, undefined);
      assert.equal(response.body.name, "Bob Okafor");
    });

    it("answers an unknown user with a 404 remote error", async () => {
      const response = await sb.call("GET", `${USERS}/U404?integrated_account_id=${accounts.slackenterprise}`);
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.deepEqual(response.body.raw_response, { ok: false, error: "user_not_found" });
      assert.deepEqual(response.body.truto_error_insight.remote_error.value, response.body.raw_response);
    });

    it("lists roles and workspaces in the list envelope", async () => {
      const roles = await sb.call("GET", `/unified/user-directory/roles?integrated_account_id=${accounts.jumpcloud}`);
      assert.equal(roles.status, 200);
      assert.deepEqual(
        roles.body.result.map((r: { id: string }) => r.id),
        ["administrator", "manager", "help-desk", "read-only", "command-runner"],
      );
      assert.equal(roles.body.next_cursor, null);
      assert.equal(roles.body.prev_cursor, null);
      assert.equal(roles.body.result_count, 5);
      const workspaces = await sb.call("GET", `/unified/user-directory/workspaces?integrated_account_id=${accounts.slackenterprise}`);
      assert.deepEqual(workspaces.body.result, [
        { id: "T0PLATFORM", name: "Platform" },
        { id: "T0SALES", name: "Sales" },
      ]);
    });

    it("lists Slack role assignments for the workspace_id given, and requires it", async () => {
      const missing = await sb.call("GET", `/unified/user-directory/role_assignments?integrated_account_id=${accounts.slackenterprise}`);
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body.truto_error_insight.missing_required_query_parameters.value, ["workspace_id"]);
      assert.equal(typeof missing.body.truto_error_insight.missing_required_query_parameters.description, "string");
      const base = `/unified/user-directory/role_assignments?integrated_account_id=${accounts.slackenterprise}`;
      const platform = await sb.call("GET", `${base}&workspace_id=T0PLATFORM`);
      assert.equal(platform.status, 200);
      const [row, ...owner] = platform.body.result;
      assert.deepEqual([row.user_id, row.role_id, row.workspace, row.group_id], ["U01ALICE", "Rl0A", ["T0PLATFORM"], "T0PLATFORM"]);
      assert.ok(row.id && row.created_at);
      const ownerRoles = ["Rl01", "Rl02", "Rl03", "Rl0C", "Rl0J"];
      const rows = (r: { body: { result: { user_id: string; role_id: string }[] } }) =>
        r.body.result.map((a) => `${a.user_id} ${a.role_id}`).sort();
      assert.deepEqual(
        rows({ body: { result: owner } }),
        ownerRoles.map((id) => `U00OWNER ${id}`),
        "the account owner holds the admin roles",
      );
      const sales = await sb.call("GET", `${base}&workspace_id=T0SALES`);
      assert.deepEqual(
        rows(sales),
        ownerRoles.map((id) => `U00OWNER ${id}`),
      );
      const filtered = await sb.call("GET", `${base}&workspace_id=T0PLATFORM&role_id=Rl0A`);
      assert.deepEqual(rows(filtered), ["U01ALICE Rl0A"]);
    });

    it("lists every held role as a role assignment for integrations without workspaces", async () => {
      const response = await sb.call("GET", `/unified/user-directory/role_assignments?integrated_account_id=${accounts.jumpcloud}`);
      assert.equal(response.status, 200);
      assert.deepEqual(
        response.body.result.map((r: { user_id: string; role_id: string }) => [r.user_id, r.role_id]),
        [
          [SEED_IDS.jumpcloud.users.bob, "read-only"],
          [SEED_IDS.jumpcloud.users.owner, "administrator"],
        ],
      );
    });

    it("answers 404 for a route the sandbox does not model", async () => {
      const response = await sb.call("GET", `/unified/user-directory/groups?integrated_account_id=${accounts.jumpcloud}`);
      assert.equal(response.status, 404);
      assert.equal(response.body.statusCode, 404);
    });
  });

  describe("pagination", () => {
    function manyUsers(count: number): SandboxState {
      const state = defaultSeed();
      for (let i = 0; i < count; i += 1) {
        state.users.push({
          accountId: accounts.teamviewer,
          id: `tv-extra-${String(i).padStart(4, "0")}`,
          name: `Extra User${i}`,
          email: `extra${i}@example.com`,
          status: "active",
          roles: [],
        });
      }
      return state;
    }

    it("follows next_cursor to the end, every user exactly once", async () => {
      await sb.admin.putState(manyUsers(445));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      for (; pages < 20; pages += 1) {
        const query: string = qs.stringify({ integrated_account_id: accounts.teamviewer, limit: 200, next_cursor: cursor ?? undefined });
        const response = await sb.call("GET", `${USERS}?${query}`);
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.result_count, response.body.result.length);
        seen.push(...response.body.result.map((u: { id: string }) => u.id));
        cursor = response.body.next_cursor;
        if (cursor === null) break;
      }
      assert.equal(pages + 1, 3);
      assert.equal(seen.length, 451, "the seed's six and the 445 added");
      assert.equal(new Set(seen).size, 451);
    });

    it("defaults to 50 per page and caps limit at 200", async () => {
      await sb.admin.putState(manyUsers(300));
      const first = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.teamviewer}`);
      assert.equal(first.body.result.length, 50);
      assert.equal(typeof first.body.next_cursor, "string");
      const capped = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.teamviewer}&limit=1000`);
      assert.equal(capped.body.result.length, 200);
    });

    it("rejects a cursor it did not issue and a limit that is not a number", async () => {
      const cursor = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.teamviewer}&next_cursor=bogus`);
      assert.equal(cursor.status, 400);
      const limit = await sb.call("GET", `${USERS}?integrated_account_id=${accounts.teamviewer}&limit=ten`);
      assert.equal(limit.status, 400);
    });
  });

  describe("encoding of odd ids", () => {
    const odd = ["a/b", "../x", "ünïcødé-✓", "100%", "what?", "#hash", "a b+c", "..", "%2F"];

    async function seedOddUsers(): Promise<void> {
      const state = defaultSeed();
      for (const id of odd) {
        for (const accountId of [accounts.slackenterprise, accounts.jumpcloud]) {
          state.users.push({ accountId, id, name: "Odd Person", email: "odd@example.com", status: "active", roles: [] });
        }
      }
      await sb.admin.putState(state);
    }

    it("reads each id as one percent-decoded path segment", async () => {
      await seedOddUsers();
      // WHATWG URL parsing (fetch, undici) folds ".." and "%2E%2E" segments away; see the next test.
      for (const id of odd.filter((candidate) => candidate !== "..")) {
        const response = await sb.call("GET", `${USERS}/${encodeURIComponent(id)}?integrated_account_id=${accounts.jumpcloud}`);
        assert.equal(response.status, 200, `${id}: ${response.text}`);
        assert.equal(response.body.id, id);
      }
    });

    it("reads %2E%2E as the user id '..' when a client sends it verbatim", async () => {
      await seedOddUsers();
      const response = await rawGet(sb.url, `${USERS}/%2E%2E?integrated_account_id=${accounts.jumpcloud}`, sb.token);
      assert.equal(response.status, 200, response.text);
      assert.equal(JSON.parse(response.text).id, "..");
    });

    it("does not treat an unencoded slash as part of the id", async () => {
      await seedOddUsers();
      const response = await sb.call("GET", `${USERS}/a/b?integrated_account_id=${accounts.jumpcloud}`);
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, undefined, "a routing 404, not a missing user");
    });

    it("round-trips each id through the query string and the JSON body", async () => {
      await seedOddUsers();
      for (const id of odd) {
        const grantQuery = qs.stringify({
          integrated_account_id: accounts.slackenterprise,
          id,
          workspace_id: "T0SALES",
          roles: [{ id: "Rl01" }],
        });
        const grant = await sb.call("POST", `/unified/user-directory/users/assign-role?${grantQuery}`);
        assert.equal(grant.status, 200, `${id}: ${grant.text}`);
        assert.equal(grant.body.result.id, id);
        const revoke = await sb.call("POST", `/unified/user-directory/users/unassign-role?integrated_account_id=${accounts.jumpcloud}`, {
          body: { id, roles: [{ id: "manager" }] },
        });
        assert.equal(revoke.status, 200, `${id}: ${revoke.text}`);
      }
      const state = await sb.admin.state();
      const granted = state.users.filter((u) => u.accountId === accounts.slackenterprise && odd.includes(u.id));
      assert.equal(granted.length, odd.length);
      for (const user of granted) assert.deepEqual(user.roles, [{ id: "Rl01", workspace: "T0SALES" }], user.id);
    });

    it("rejects a path segment that is not valid percent-encoding", async () => {
      const response = await sb.call("GET", `${USERS}/%E0%A4%A?integrated_account_id=${accounts.jumpcloud}`);
      assert.equal(response.status, 400);
      assert.match(response.body.message, /percent-encoding/);
    });
  });
});
