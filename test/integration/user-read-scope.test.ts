/**
 * `GET users/{id}` carries the resource's scope where the rules table says Truto needs it (Slack
 * Enterprise's workspace), and nowhere a narrowed read could hide a role (Elastic Cloud's organizations).
 */
import { strict as assert } from "node:assert";
import { RULES } from "../../src/integrations/rules";
import { TrutoClient } from "../../src/truto/client";
import { readHolding } from "../../src/truto/user-directory";
import { json, useScriptedServer } from "../support/scripted-server";

describe("GET users/{id}: the scope it carries", function () {
  this.timeout(10_000);
  const server = useScriptedServer();
  const client = () => new TrutoClient({ token: "scope-test-token", baseUrl: server.url, rateLimit: false, readCacheMs: 0 });

  beforeEach(() => {
    server.answer = (req, res) =>
      new URL(req.url, server.url).pathname.endsWith("/role_assignments")
        ? json(res, 200, { result: [], next_cursor: null })
        : json(res, 200, { id: "U1", roles: [] });
  });

  const userReadOf = () => {
    const read = server.seen.find((r) => new URL(r.url, server.url).pathname === "/unified/user-directory/users/U1");
    assert.ok(read, "the user was read");
    return new URL(read.url, server.url).searchParams;
  };

  it("sends the resource's workspace_id for Slack Enterprise", async () => {
    await readHolding(client(), RULES.slackenterprise, { integratedAccountId: "acct-slack", userId: "U1", workspaceId: "T0ENG" }, true);
    assert.equal(userReadOf().get("workspace_id"), "T0ENG");
  });

  it("sends no organization_id for Elastic Cloud, whose resource may span several organizations", async () => {
    const scope = { integratedAccountId: "acct-elastic", userId: "U1", organizations: [{ id: "org-a" }, { id: "org-b" }] };
    await readHolding(client(), RULES.elasticcloud, scope, true);
    assert.equal(userReadOf().get("organization_id"), null);
  });

  it("sends no scope for an account-wide integration", async () => {
    await readHolding(client(), RULES.jumpcloud, { integratedAccountId: "acct-jc", userId: "U1" }, true);
    assert.deepEqual([...userReadOf().keys()], ["integrated_account_id"]);
  });
});
