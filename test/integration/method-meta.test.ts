/**
 * Asking Truto's meta endpoint how it describes a write method, against a scripted server on loopback:
 * the request it sends, what each answer means, and what is cached per process.
 */
import { strict as assert } from "node:assert";
import { TrutoClient } from "../../src/truto/client";
import { methodMeta } from "../../src/truto/method-meta";
import { json, useScriptedServer } from "../support/scripted-server";

const ACCOUNT = "7d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a";

describe("Truto's meta endpoint: how a write method is described", function () {
  this.timeout(10_000);
  const server = useScriptedServer();
  // Each test names its own integration: answers are cached per process by base URL, integration and method.
  const client = () =>
    new TrutoClient({ token: "meta-test-token", baseUrl: server.url, rateLimit: false, retry: { baseDelayMs: 5, maxAttempts: 2 } });

  it("asks the account-scoped form Truto's SDK uses, and reads each place's properties and required names", async () => {
    server.answer = (_req, res) =>
      json(res, 200, {
        query_schema: { type: "object", properties: { id: { type: "string" }, integrated_account_id: {} }, required: ["id"] },
        request_body_schema: { type: "object", properties: { roles: { type: "array" } }, required: ["roles"] },
        response_schema: {},
        default_query: {},
        default_body: {},
      });
    const answer = await methodMeta(client(), "described-row", "unassign-role", ACCOUNT);
    assert.deepEqual(answer, {
      kind: "described",
      description: {
        query: { properties: ["id", "integrated_account_id"], required: ["id"] },
        body: { properties: ["roles"], required: ["roles"] },
      },
    });
    assert.equal(server.seen.length, 1);
    const url = new URL(server.seen[0].url, server.url);
    assert.equal(server.seen[0].method, "GET");
    assert.equal(url.pathname, "/unified/user-directory/users/meta/unassign-role");
    assert.equal(url.searchParams.get("integrated_account_id"), ACCOUNT);
  });

  it("takes a 404 as 'not described', once per process", async () => {
    server.answer = (_req, res) => json(res, 404, { statusCode: 404, error: "Not Found", message: "No meta for this method." });
    const c = client();
    assert.deepEqual(await methodMeta(c, "absent-row", "assign-role", ACCOUNT), { kind: "absent" });
    assert.deepEqual(await methodMeta(c, "absent-row", "assign-role", ACCOUNT), { kind: "absent" });
    assert.equal(server.seen.length, 1, "the answer is kept");
  });

  it("takes an answer without schemas as 'not described'", async () => {
    server.answer = (_req, res) => json(res, 200, { response_schema: {}, default_query: {} });
    assert.deepEqual(await methodMeta(client(), "schemaless-row", "assign-role", ACCOUNT), { kind: "absent" });
  });

  it("asks again after a failed call instead of keeping the failure", async () => {
    server.answer = (_req, res) => json(res, 401, { statusCode: 401, error: "Unauthorized", message: "Invalid API token." });
    const c = client();
    const first = await methodMeta(c, "failing-row", "unassign-role", ACCOUNT);
    assert.equal(first.kind, "failed");
    assert.match(first.kind === "failed" ? first.reason : "", /401|Invalid API token/);
    server.answer = (_req, res) => json(res, 404, { statusCode: 404, error: "Not Found", message: "none" });
    assert.deepEqual(await methodMeta(c, "failing-row", "unassign-role", ACCOUNT), { kind: "absent" });
    assert.equal(server.seen.length, 2);
  });
});
