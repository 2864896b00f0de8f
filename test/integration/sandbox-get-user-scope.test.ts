/**
 * GET users/{id} takes the `workspace_id` and `organization_id` query parameters Truto documents as required for
 * some integrations: given, each must name a workspace or organization of the account (else the vendor's 404 through
 * Truto, naming it); the user object is the same either way, roles and all.
 */
import { strict as assert } from "node:assert";
import * as qs from "qs";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, slackenterprise: slack, elasticcloud: elastic, jumpcloud } = SEED_IDS;

describe("sandbox GET users/{id} with a scope", () => {
  const sb = useSandbox({ rateLimit: false });

  function getUser(accountId: string, userId: string, scope: Record<string, unknown> = {}) {
    return sb.call("GET", `/unified/user-directory/users/${userId}?${qs.stringify({ integrated_account_id: accountId, ...scope })}`);
  }

  for (const [label, accountId, userId, scope] of [
    ["a Slack workspace", accounts.slackenterprise, slack.users.alice, { workspace_id: slack.workspaces.sales }],
    ["an Elastic organization", accounts.elasticcloud, elastic.users.carol, { organization_id: elastic.organizations.production }],
  ] as const) {
    it(`answers the same user object, every role included, for ${label} of the account`, async () => {
      const plain = await getUser(accountId, userId);
      const scoped = await getUser(accountId, userId, scope);
      assert.equal(scoped.status, 200, scoped.text);
      assert.ok(plain.body.roles.length > 0, "the user holds a role, so a filter would show");
      assert.deepEqual(scoped.body, plain.body);
    });
  }

  it("answers the vendor's 404 naming a workspace the account does not have", async () => {
    const response = await getUser(accounts.slackenterprise, slack.users.alice, { workspace_id: "T0NOPE" });
    assert.equal(response.status, 404);
    assert.equal(response.body.error, "Not Found");
    assert.equal(response.body.truto_is_remote_error, true);
    assert.deepEqual(response.body.raw_response, { ok: false, error: "team_not_found" });
    assert.match(response.body.message, /no workspace "T0NOPE"/);
  });

  it("answers 404 naming an organization the account does not have, also where it has none at all", async () => {
    const elasticMiss = await getUser(accounts.elasticcloud, elastic.users.carol, { organization_id: "999" });
    assert.equal(elasticMiss.status, 404);
    assert.equal(elasticMiss.body.raw_response.errors[0].code, "organization.not_found");
    assert.match(elasticMiss.body.message, /no organization "999"/);
    const jumpMiss = await getUser(accounts.jumpcloud, jumpcloud.users.alice, { organization_id: elastic.organizations.production });
    assert.equal(jumpMiss.status, 404);
    assert.match(jumpMiss.body.message, /JumpCloud has no organization "4201839311"/);
  });

  it("checks both when both are given", async () => {
    const response = await getUser(accounts.slackenterprise, slack.users.alice, {
      workspace_id: slack.workspaces.platform,
      organization_id: "E0ORG",
    });
    assert.equal(response.status, 404);
    assert.match(response.body.message, /organization "E0ORG"/);
  });

  it("answers 400 for a scope parameter sent twice", async () => {
    const response = await sb.call(
      "GET",
      `/unified/user-directory/users/${slack.users.alice}?integrated_account_id=${accounts.slackenterprise}&workspace_id=T0SALES&workspace_id=T0PLATFORM`,
    );
    assert.equal(response.status, 400);
    assert.match(response.body.message, /workspace_id query parameter must be a single string/);
  });
});
