/**
 * Truto's meta endpoint as the sandbox models it: for assign-role and unassign-role, JSON Schemas of the query and
 * the body built from the sandbox's own rules, in the account-scoped form the TypeScript SDK calls and the docs' form
 * with the integration in the path; an admin override to make it disagree or be absent.
 */
import { strict as assert } from "node:assert";
import * as qs from "qs";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox, type SandboxFixture, type SandboxResponse } from "../support/sandbox-fixture";

const { accounts } = SEED_IDS;
type Slug = keyof typeof accounts;
const SLUGS = Object.keys(accounts) as Slug[];
const METHODS = ["assign-role", "unassign-role"] as const;

function accountMeta(sb: SandboxFixture, slug: Slug, method: string): Promise<SandboxResponse> {
  return sb.call("GET", `/unified/user-directory/users/meta/${method}?integrated_account_id=${accounts[slug]}`);
}

function integrationMeta(sb: SandboxFixture, integration: string, method: string): Promise<SandboxResponse> {
  return sb.call("GET", `/unified/user-directory/users/${integration}/meta/${method}`);
}

/** [query properties, query required, body properties, body required], each sorted. */
function placement(body: any): string[][] {
  const { query_schema: query, request_body_schema: request } = body;
  return [Object.keys(query.properties), query.required, Object.keys(request.properties), request.required].map((names: string[]) =>
    [...names].sort(),
  );
}

function assertTrutoNotFound(response: SandboxResponse, says: RegExp): void {
  assert.equal(response.status, 404, response.text);
  assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"]);
  assert.equal(response.body.error, "Not Found");
  assert.match(response.body.message, says);
}

describe("sandbox meta endpoint", () => {
  const sb = useSandbox({ rateLimit: false });

  it("answers every integration's assign-role and unassign-role with the five fields, in both forms alike", async () => {
    for (const slug of SLUGS) {
      for (const method of METHODS) {
        const response = await accountMeta(sb, slug, method);
        assert.equal(response.status, 200, `${slug} ${method}: ${response.text}`);
        assert.deepEqual(Object.keys(response.body).sort(), [
          "default_body",
          "default_query",
          "query_schema",
          "request_body_schema",
          "response_schema",
        ]);
        assert.deepEqual([response.body.default_query, response.body.default_body], [{}, {}]);
        for (const schema of [response.body.query_schema, response.body.request_body_schema]) {
          assert.equal(schema.type, "object");
          assert.ok(Array.isArray(schema.required), `${slug} ${method}: required is a list`);
        }
        assert.deepEqual((await integrationMeta(sb, slug, method)).body, response.body, `${slug} ${method}: the docs' form agrees`);
      }
    }
  });

  it("puts each field where the sandbox reads it, and requires it only where it is required", async () => {
    const expected: Record<Slug, Record<(typeof METHODS)[number], string[][]>> = {
      slackenterprise: {
        "unassign-role": [["id", "roles", "workspace_id"], ["id", "roles", "workspace_id"], [], []],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
      elasticcloud: {
        "unassign-role": [["id"], ["id"], ["id", "organizations"], []],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
      jumpcloud: {
        "unassign-role": [["id"], [], ["id", "roles"], ["id", "roles"]],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
      blackline: {
        "unassign-role": [[], [], ["id", "roles"], ["id", "roles"]],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
      crowdstrike: {
        "unassign-role": [[], [], ["id", "roles"], []],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
      teamviewer: {
        "unassign-role": [[], [], ["id", "roles"], ["id"]],
        "assign-role": [["id", "organizations", "roles", "workspace_id"], [], ["id", "organizations", "roles", "workspace_id"], []],
      },
    };
    for (const slug of SLUGS) {
      for (const method of METHODS) {
        assert.deepEqual(placement((await accountMeta(sb, slug, method)).body), expected[slug][method], `${slug} ${method}`);
      }
    }
  });

  it("describes roles as an array of objects whose id is required, and ids as strings", async () => {
    const { body } = await accountMeta(sb, "slackenterprise", "unassign-role");
    const roles = body.query_schema.properties.roles;
    assert.equal(roles.type, "array");
    assert.equal(roles.items.type, "object");
    assert.deepEqual(roles.items.required, ["id"]);
    assert.equal(roles.items.properties.id.type, "string");
    assert.equal(body.query_schema.properties.id.type, "string");
    assert.equal(body.response_schema.properties.result.type, "object");
  });

  it("agrees with the sandbox's own 400: an empty unassign-role names exactly the required fields of each place", async () => {
    for (const slug of SLUGS) {
      const { body: meta } = await accountMeta(sb, slug, "unassign-role");
      const response = await sb.call(
        "POST",
        `/unified/user-directory/users/unassign-role?${qs.stringify({ integrated_account_id: accounts[slug] })}`,
        {
          body: {},
        },
      );
      const insight = response.body.truto_error_insight ?? {};
      assert.deepEqual(insight.missing_required_query_parameters?.value ?? [], meta.query_schema.required, `${slug} query`);
      assert.deepEqual(insight.missing_required_body_fields?.value ?? [], meta.request_body_schema.required, `${slug} body`);
    }
  });

  it("answers Truto's 404 for a method it does not describe and an integration it does not know", async () => {
    assertTrutoNotFound(await accountMeta(sb, "jumpcloud", "list"), /No meta for method "list"/);
    assertTrutoNotFound(await integrationMeta(sb, "jumpcloud", "delete"), /No meta for method "delete"/);
    assertTrutoNotFound(await integrationMeta(sb, "okta", "assign-role"), /Integration "okta" was not found/);
  });

  it("resolves the account of the account-scoped form like any unified call", async () => {
    const missing = await sb.call("GET", "/unified/user-directory/users/meta/assign-role");
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /integrated_account_id is required/);
    assertTrutoNotFound(await sb.call("GET", "/unified/user-directory/users/meta/assign-role?integrated_account_id=nope"), /nope/);
    const state = await sb.admin.state();
    state.accounts.find((a) => a.id === accounts.jumpcloud)!.blocked = true;
    await sb.admin.putState(state);
    assert.equal((await accountMeta(sb, "jumpcloud", "assign-role")).status, 503);
  });

  describe("admin override", () => {
    const answer = {
      query_schema: { type: "object", properties: {}, required: [] },
      request_body_schema: { type: "object", properties: { id: {} }, required: ["id"] },
    };

    it("serves the answer set for an integration's method in both forms, until it is restored", async () => {
      await sb.admin.overrideMeta("slackenterprise", "unassign-role", answer);
      assert.deepEqual((await accountMeta(sb, "slackenterprise", "unassign-role")).body, answer);
      assert.deepEqual((await integrationMeta(sb, "slackenterprise", "unassign-role")).body, answer);
      assert.equal(placement((await accountMeta(sb, "slackenterprise", "assign-role")).body)[0].length, 4, "the other method is untouched");
      await sb.admin.restoreMeta("slackenterprise", "unassign-role");
      assert.deepEqual(placement((await accountMeta(sb, "slackenterprise", "unassign-role")).body)[1], ["id", "roles", "workspace_id"]);
    });

    it("answers Truto's 404 for an absent method, and a reset restores it", async () => {
      await sb.admin.overrideMeta("jumpcloud", "assign-role", { absent: true });
      assertTrutoNotFound(await accountMeta(sb, "jumpcloud", "assign-role"), /No meta for assign-role of integration jumpcloud/);
      assertTrutoNotFound(await integrationMeta(sb, "jumpcloud", "assign-role"), /jumpcloud/);
      await sb.admin.reset();
      assert.equal((await accountMeta(sb, "jumpcloud", "assign-role")).status, 200);
    });

    it("refuses an override it cannot serve, an unknown integration and an unknown method", async () => {
      await assert.rejects(sb.admin.overrideMeta("jumpcloud", "assign-role", { absent: false } as never), /exactly \{"absent": true\}/);
      const list = await sb.call("PUT", "/_sandbox/meta/jumpcloud/assign-role", { body: [1, 2] });
      assert.equal(list.status, 400);
      await assert.rejects(sb.admin.overrideMeta("okta", "assign-role", answer), /failed with 404: Integration "okta"/);
      await assert.rejects(sb.admin.overrideMeta("jumpcloud", "list" as never, answer), /failed with 404: No meta for method "list"/);
    });
  });

  describe("limits and the request log", () => {
    const limited = useSandbox({
      rateLimit: { limit: 2, windowMs: 60_000 },
      tokenRateLimit: { limit: 5, windowMs: 60_000 },
      vendorQuota: { limit: 9, windowMs: 60_000 },
    });

    it("counts the account-scoped form against the account's limit and both forms against the token's, with no vendor headers", async () => {
      const first = await accountMeta(limited, "jumpcloud", "assign-role");
      assert.equal(first.status, 200);
      assert.equal(first.headers["ratelimit-limit"], undefined, "meta never reaches the vendor");
      assert.equal((await accountMeta(limited, "jumpcloud", "unassign-role")).status, 200);
      const third = await accountMeta(limited, "jumpcloud", "assign-role");
      assert.equal(third.status, 429);
      assert.match(third.body.message, /integrated account/);
      assert.equal((await integrationMeta(limited, "jumpcloud", "assign-role")).status, 200, "the docs' form names no account");
      assert.equal((await integrationMeta(limited, "jumpcloud", "assign-role")).status, 200);
      assert.equal((await integrationMeta(limited, "jumpcloud", "assign-role")).status, 200);
      const over = await integrationMeta(limited, "jumpcloud", "assign-role");
      assert.equal(over.status, 429);
      assert.match(over.body.message, /API token/);
    });

    it("logs meta requests like any request", async () => {
      await accountMeta(limited, "elasticcloud", "unassign-role");
      await integrationMeta(limited, "teamviewer", "assign-role");
      const log = await limited.admin.requests();
      assert.deepEqual(
        log.map((e) => [e.method, e.path, e.status, e.integratedAccountId]),
        [
          ["GET", "/unified/user-directory/users/meta/unassign-role", 200, accounts.elasticcloud],
          ["GET", "/unified/user-directory/users/teamviewer/meta/assign-role", 200, undefined],
        ],
      );
      assert.deepEqual(log[0].query, { integrated_account_id: accounts.elasticcloud });
    });
  });
});
