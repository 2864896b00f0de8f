import { strict as assert } from "node:assert";
import * as qs from "qs";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox, type SandboxFixture } from "../support/sandbox-fixture";

const UNASSIGN = "/unified/user-directory/users/unassign-role";
const { accounts, slackenterprise: slack, jumpcloud, elasticcloud: elastic } = SEED_IDS;

function unassign(sb: SandboxFixture, accountId: string, query: Record<string, unknown>, body?: unknown) {
  return sb.call("POST", `${UNASSIGN}?${qs.stringify({ integrated_account_id: accountId, ...query })}`, { body });
}

async function rolesOf(sb: SandboxFixture, accountId: string, userId: string) {
  const response = await sb.call("GET", `/unified/user-directory/users/${encodeURIComponent(userId)}?integrated_account_id=${accountId}`);
  assert.equal(response.status, 200, response.text);
  return response.body.roles as { id: string; workspace?: string; organization?: string }[];
}

function assertMissing(response: { status: number; body: any }, where: "query" | "body", names: string[]) {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(response.body.statusCode, 400);
  assert.equal(response.body.error, "Bad Request");
  assert.equal(typeof response.body.message, "string");
  const key = where === "query" ? "missing_required_query_parameters" : "missing_required_body_fields";
  assert.deepEqual(response.body.truto_error_insight[key].value, names);
  assert.equal(typeof response.body.truto_error_insight[key].description, "string");
  assert.equal(response.body.truto_is_remote_error, undefined, "a validation error is not a remote error");
}

describe("sandbox unassign-role", () => {
  const sb = useSandbox();

  describe("slackenterprise (query id, roles[].id, workspace_id required)", () => {
    const right = { id: slack.users.alice, workspace_id: slack.workspaces.platform, roles: [{ id: slack.roles.channelManager }] };

    it("revokes the role in that workspace when every field is in the query", async () => {
      const response = await unassign(sb, accounts.slackenterprise, right);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { result: { id: slack.users.alice, roles: [] } });
      assert.deepEqual(await rolesOf(sb, accounts.slackenterprise, slack.users.alice), []);
    });

    it("accepts the roles[][id] query form as well as roles[0][id]", async () => {
      const query = qs.stringify({ integrated_account_id: accounts.slackenterprise, ...right }, { arrayFormat: "brackets" });
      assert.match(query, /roles%5B%5D%5Bid%5D=Rl0A/);
      const response = await sb.call("POST", `${UNASSIGN}?${query}`);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result.roles, []);
    });

    for (const field of ["id", "workspace_id", "roles"] as const) {
      it(`answers 400 naming ${field} when it is missing from the query`, async () => {
        const query: Record<string, unknown> = { ...right };
        delete query[field];
        assertMissing(await unassign(sb, accounts.slackenterprise, query), "query", [field]);
      });
    }

    it("answers 400 naming roles[].id when a role has no id", async () => {
      assertMissing(await unassign(sb, accounts.slackenterprise, { ...right, roles: [{ name: "Channel Manager" }] }), "query", [
        "roles[].id",
      ]);
    });

    it("does not count fields sent in the body: roles there is a missing query parameter", async () => {
      const { roles, ...query } = right;
      const response = await unassign(sb, accounts.slackenterprise, query, { roles });
      assertMissing(response, "query", ["roles"]);
      assert.equal(response.body.truto_error_insight.missing_required_body_fields, undefined);
      assert.equal((await rolesOf(sb, accounts.slackenterprise, slack.users.alice)).length, 1, "nothing was revoked");
    });

    it("names every missing query parameter when all of them are in the body", async () => {
      assertMissing(await unassign(sb, accounts.slackenterprise, {}, right), "query", ["id", "roles", "workspace_id"]);
    });

    it("takes one role per request: two roles is a remote error and revokes nothing", async () => {
      const roles = [{ id: slack.roles.channelManager }, { id: slack.roles.userAdmin }];
      const response = await unassign(sb, accounts.slackenterprise, { ...right, roles });
      assert.equal(response.status, 400);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.deepEqual(response.body.raw_response.ok, false);
      assert.equal(response.body.raw_response.error, "invalid_arguments");
      assert.match(response.body.message, /one role per request/);
      assert.ok(response.body.truto_error_insight.remote_error);
      assert.equal((await rolesOf(sb, accounts.slackenterprise, slack.users.alice)).length, 1);
    });

    it("rejects an unknown role id like Slack (invalid_role_id)", async () => {
      const response = await unassign(sb, accounts.slackenterprise, { ...right, roles: [{ id: "Rl99" }] });
      assert.equal(response.status, 400);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.deepEqual(response.body.raw_response, { ok: false, error: "invalid_role_id" });
    });

    it("rejects an unknown workspace like Slack (failed_for_some_entities)", async () => {
      const response = await unassign(sb, accounts.slackenterprise, { ...right, workspace_id: "T0NOPE" });
      assert.equal(response.status, 400);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.equal(response.body.raw_response.error, "failed_for_some_entities");
    });

    it("answers 404 remote for an unknown user", async () => {
      const response = await unassign(sb, accounts.slackenterprise, { ...right, id: "U99NOBODY" });
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.equal(response.body.error, "Not Found");
    });

    it("keeps the role in the other workspace", async () => {
      await sb.call("POST", `/unified/user-directory/users/assign-role?integrated_account_id=${accounts.slackenterprise}`, {
        body: { id: slack.users.alice, workspace_id: slack.workspaces.sales, roles: [{ id: slack.roles.channelManager }] },
      });
      const response = await unassign(sb, accounts.slackenterprise, right);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result.roles, [{ id: "Rl0A", name: "Channel Manager", workspace: "T0SALES" }]);
    });
  });

  describe("elasticcloud (query id required; revokes every role in the organizations)", () => {
    const carol = elastic.users.carol;
    const { production, staging } = elastic.organizations;

    async function grant(userId: string, roleId: string, organization: string) {
      const response = await sb.call("POST", `/unified/user-directory/users/assign-role?integrated_account_id=${accounts.elasticcloud}`, {
        body: { id: userId, roles: [{ id: roleId, organization }] },
      });
      assert.equal(response.status, 200, response.text);
    }

    it("revokes with the user id in the query", async () => {
      const response = await unassign(sb, accounts.elasticcloud, { id: carol }, { organizations: [{ id: staging }] });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { result: { id: carol, roles: [] } });
    });

    it("answers 400 naming id when the user id is only in the body (body id does not satisfy the query requirement)", async () => {
      const response = await unassign(sb, accounts.elasticcloud, {}, { id: carol });
      assertMissing(response, "query", ["id"]);
      assert.equal((await rolesOf(sb, accounts.elasticcloud, carol)).length, 1);
    });

    it("revokes all roles in the organization whatever role is sent", async () => {
      await grant(carol, elastic.roles.deploymentEditor, staging);
      await grant(carol, elastic.roles.billingAdmin, production);
      const response = await unassign(
        sb,
        accounts.elasticcloud,
        { id: carol },
        {
          roles: [{ id: elastic.roles.deploymentEditor }],
          organizations: [{ id: staging }],
        },
      );
      assert.equal(response.status, 200, response.text);
      // deployment-viewer was not named but lived in the same organization, so it went too.
      assert.deepEqual(response.body.result.roles, [{ id: "billing-admin", name: "Billing admin", organization: production }]);
    });

    it("revokes in every organization when none is named", async () => {
      await grant(carol, elastic.roles.billingAdmin, production);
      const response = await unassign(sb, accounts.elasticcloud, { id: carol }, { roles: [{ id: elastic.roles.billingAdmin }] });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result.roles, []);
    });

    it("rejects an unknown organization with an Elastic-looking remote error", async () => {
      const response = await unassign(sb, accounts.elasticcloud, { id: carol }, { organizations: [{ id: "999" }] });
      assert.equal(response.status, 400);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.equal(response.body.raw_response.errors[0].code, "organization.not_found");
    });
  });

  describe("jumpcloud (body id and roles required; query id only supported)", () => {
    const bob = jumpcloud.users.bob;

    it("revokes exactly the listed roles when id and roles are in the body", async () => {
      await sb.call("POST", `/unified/user-directory/users/assign-role?integrated_account_id=${accounts.jumpcloud}`, {
        body: { id: bob, roles: [{ id: jumpcloud.roles.helpDesk }] },
      });
      const response = await unassign(sb, accounts.jumpcloud, {}, { id: bob, roles: [{ id: jumpcloud.roles.readOnly }] });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result, { id: bob, roles: [{ id: "help-desk", name: "Help Desk" }] });
    });

    it("still needs the body id when the id is in the query", async () => {
      const response = await unassign(sb, accounts.jumpcloud, { id: bob }, { roles: [{ id: jumpcloud.roles.readOnly }] });
      assertMissing(response, "body", ["id"]);
    });

    it("answers 400 naming roles when roles are only in the query", async () => {
      const response = await unassign(sb, accounts.jumpcloud, { roles: [{ id: jumpcloud.roles.readOnly }] }, { id: bob });
      assertMissing(response, "body", ["roles"]);
    });

    it("answers 400 naming id and roles for an empty body", async () => {
      assertMissing(await unassign(sb, accounts.jumpcloud, {}), "body", ["id", "roles"]);
    });

    it("treats an empty roles list as missing", async () => {
      assertMissing(await unassign(sb, accounts.jumpcloud, {}, { id: bob, roles: [] }), "body", ["roles"]);
    });
  });

  // The generic rows: what Truto itself requires in the body (BlackLine: inferred; CrowdStrike and TeamViewer: the
  // older unassign_role page, where CrowdStrike's id and roles and TeamViewer's roles are only "supported").
  const GENERIC_ROWS = {
    blackline: ["id", "roles"],
    crowdstrike: [],
    teamviewer: ["id"],
  } as const;
  for (const [slug, required] of Object.entries(GENERIC_ROWS) as [keyof typeof GENERIC_ROWS, readonly string[]][]) {
    describe(`${slug} (body id and roles; Truto requires ${required.length > 0 ? required.join(" and ") : "neither"})`, () => {
      const ids = SEED_IDS[slug];
      const role = Object.values(ids.roles)[0];
      const dan = ids.users.dan;

      async function grantDan(): Promise<void> {
        const assign = await sb.call("POST", `/unified/user-directory/users/assign-role?integrated_account_id=${accounts[slug]}`, {
          body: { id: dan, roles: [{ id: role }] },
        });
        assert.equal(assign.status, 200, assign.text);
      }

      it("revokes with id and roles in the body", async () => {
        await grantDan();
        const response = await unassign(sb, accounts[slug], {}, { id: dan, roles: [{ id: role }] });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body, { result: { id: dan, roles: [] } });
      });

      it(`does not count id and roles sent in the query${required.length > 0 ? `: Truto's 400 names ${required.join(", ")}` : ""}`, async () => {
        await grantDan();
        const response = await unassign(sb, accounts[slug], { id: dan, roles: [{ id: role }] });
        if (required.length > 0) {
          assertMissing(response, "body", [...required]);
        } else {
          assert.equal(response.status, 400, response.text);
          assert.equal(response.body.truto_is_remote_error, true, "Truto forwarded it; the vendor refused");
          assert.equal(response.body.truto_error_insight.missing_required_body_fields, undefined);
          assert.ok(response.body.raw_response);
        }
        assert.equal((await rolesOf(sb, accounts[slug], dan)).length, 1, "nothing was revoked");
      });

      for (const field of ["id", "roles"] as const) {
        const body = field === "id" ? { roles: [{ id: role }] } : { id: dan };
        const byTruto = required.includes(field);
        it(`answers a body without ${field} with ${byTruto ? "Truto's missing_required 400" : "the vendor's 400 through Truto"}`, async () => {
          await grantDan();
          const response = await unassign(sb, accounts[slug], {}, body);
          if (byTruto) {
            assertMissing(response, "body", [field]);
          } else {
            assert.equal(response.status, 400, response.text);
            assert.equal(response.body.truto_is_remote_error, true);
            assert.equal(response.body.truto_error_insight.missing_required_body_fields, undefined);
            assert.match(response.body.message, field === "id" ? /without a user id/ : /without roles/);
          }
          assert.equal((await rolesOf(sb, accounts[slug], dan)).length, 1, "nothing was revoked");
        });
      }
    });
  }

  it("words CrowdStrike's 400 for a missing user id the way the Falcon API does", async () => {
    const response = await unassign(sb, accounts.crowdstrike, {}, { roles: [{ id: SEED_IDS.crowdstrike.roles.analyst }] });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.raw_response.errors, [{ code: 400, message: response.body.message }]);
  });

  it("still needs roles[].id on a supported roles field", async () => {
    const response = await unassign(sb, accounts.crowdstrike, {}, { id: SEED_IDS.crowdstrike.users.dan, roles: [{ name: "Analyst" }] });
    assertMissing(response, "body", ["roles[].id"]);
  });

  it("answers Truto's 400 for a role in a group instead of revoking the role without it", async () => {
    const response = await unassign(
      sb,
      accounts.jumpcloud,
      {},
      { id: jumpcloud.users.bob, roles: [{ id: jumpcloud.roles.readOnly, group: "g" }] },
    );
    assert.equal(response.status, 400, response.text);
    assert.match(response.body.message, /roles\[0\]\.group is not supported; JumpCloud holds roles account-wide, not per group/);
    assert.deepEqual(await rolesOf(sb, accounts.jumpcloud, jumpcloud.users.bob), [{ id: "read-only", name: "Read Only" }]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await sb.call("POST", `${UNASSIGN}?integrated_account_id=${accounts.jumpcloud}`, {
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    assert.equal(response.status, 400);
    assert.match(response.body.message, /not valid JSON/);
  });

  it("explains roles[][id] given twice instead of treating it as one odd role", async () => {
    const query = `id=${slack.users.alice}&workspace_id=T0PLATFORM&roles[][id]=Rl0A&roles[][id]=Rl01`;
    const response = await sb.call("POST", `${UNASSIGN}?integrated_account_id=${accounts.slackenterprise}&${query}`);
    assert.equal(response.status, 400);
    assert.match(response.body.message, /roles\[0\]\[id\]=A&roles\[1\]\[id\]=B/);
  });
});
