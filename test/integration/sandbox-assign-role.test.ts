import { strict as assert } from "node:assert";
import * as qs from "qs";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox, type SandboxFixture } from "../support/sandbox-fixture";

const ASSIGN = "/unified/user-directory/users/assign-role";
const UNASSIGN = "/unified/user-directory/users/unassign-role";
const { accounts, slackenterprise: slack, jumpcloud, elasticcloud: elastic } = SEED_IDS;

function post(sb: SandboxFixture, path: string, accountId: string, query: Record<string, unknown>, body?: unknown) {
  return sb.call("POST", `${path}?${qs.stringify({ integrated_account_id: accountId, ...query })}`, { body });
}

describe("sandbox assign-role", () => {
  const sb = useSandbox();

  it("accepts the identifying fields in the body", async () => {
    const response = await post(
      sb,
      ASSIGN,
      accounts.jumpcloud,
      {},
      { id: jumpcloud.users.alice, roles: [{ id: jumpcloud.roles.manager }] },
    );
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, { result: { id: jumpcloud.users.alice, roles: [{ id: "manager", name: "Manager" }] } });
  });

  it("accepts the identifying fields in the query", async () => {
    const response = await post(sb, ASSIGN, accounts.jumpcloud, { id: jumpcloud.users.alice, roles: [{ id: jumpcloud.roles.manager }] });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.result.roles, [{ id: "manager", name: "Manager" }]);
  });

  it("prefers the body when both places hold a value", async () => {
    const response = await post(
      sb,
      ASSIGN,
      accounts.jumpcloud,
      { id: jumpcloud.users.erin },
      { id: jumpcloud.users.dan, roles: [{ id: "manager" }] },
    );
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.result.id, jumpcloud.users.dan);
    const state = await sb.admin.state();
    const erin = state.users.find((user) => user.id === jumpcloud.users.erin);
    assert.deepEqual(erin?.roles, []);
  });

  it("answers 400 naming id and roles when both are missing", async () => {
    const response = await post(sb, ASSIGN, accounts.jumpcloud, {}, {});
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.truto_error_insight.missing_required_body_fields.value, ["id", "roles"]);
  });

  it("adds to the roles already held and is idempotent by default", async () => {
    const bob = jumpcloud.users.bob;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post(sb, ASSIGN, accounts.jumpcloud, {}, { id: bob, roles: [{ id: "manager" }, { id: "read-only" }] });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(
        response.body.result.roles.map((role: { id: string }) => role.id),
        ["read-only", "manager"],
      );
    }
  });

  describe("role scope fields the integration does not hold roles in", () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        "a JumpCloud role in a group",
        accounts.jumpcloud,
        { id: jumpcloud.users.carol, roles: [{ id: "manager", group: "g" }] },
        "roles[0].group",
      ],
      [
        "a JumpCloud role in an organization",
        accounts.jumpcloud,
        { id: jumpcloud.users.carol, roles: [{ id: "manager", organization: "o" }] },
        "roles[0].organization",
      ],
      [
        "a Slack role in a group",
        accounts.slackenterprise,
        { id: slack.users.bob, workspace_id: slack.workspaces.sales, roles: [{ id: slack.roles.roleAdmin, group: "g" }] },
        "roles[0].group",
      ],
      [
        "an Elastic role in a workspace",
        accounts.elasticcloud,
        {
          id: elastic.users.bob,
          organizations: [{ id: elastic.organizations.production }],
          roles: [{ id: "deployment-viewer", workspace: "T1" }],
        },
        "roles[0].workspace",
      ],
    ];
    for (const [title, accountId, body, property] of cases) {
      it(`answers Truto's 400 for ${title}, naming ${property}, and grants nothing`, async () => {
        const before = await sb.admin.state();
        const response = await post(sb, ASSIGN, accountId, {}, body);
        assert.equal(response.status, 400, response.text);
        assert.deepEqual(Object.keys(response.body).sort(), ["error", "message", "statusCode"]);
        assert.equal(response.body.error, "Bad Request");
        assert.ok(response.body.message.includes(`${property} is not supported`), response.body.message);
        assert.deepEqual((await sb.admin.state()).users, before.users, "nothing granted, not even the role without the field");
      });
    }
  });

  describe("slackenterprise", () => {
    it("grants in the workspace given by workspace_id", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.slackenterprise,
        {},
        {
          id: slack.users.bob,
          workspace_id: slack.workspaces.sales,
          roles: [{ id: slack.roles.userAdmin }],
        },
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result.roles, [{ id: "Rl03", name: "User Admin", workspace: "T0SALES" }]);
    });

    it("requires workspace_id", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.slackenterprise,
        {},
        { id: slack.users.bob, roles: [{ id: slack.roles.userAdmin }] },
      );
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.truto_error_insight.missing_required_body_fields.value, ["workspace_id"]);
    });

    it("takes one role per request", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.slackenterprise,
        { workspace_id: slack.workspaces.sales },
        {
          id: slack.users.bob,
          roles: [{ id: slack.roles.userAdmin }, { id: slack.roles.roleAdmin }],
        },
      );
      assert.equal(response.status, 400);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.equal(response.body.raw_response.error, "invalid_arguments");
    });

    it("rejects an unknown workspace and an unknown role as remote errors", async () => {
      const badWorkspace = await post(
        sb,
        ASSIGN,
        accounts.slackenterprise,
        {},
        { id: slack.users.bob, workspace_id: "T0NOPE", roles: [{ id: "Rl03" }] },
      );
      assert.equal(badWorkspace.status, 400);
      assert.equal(badWorkspace.body.truto_is_remote_error, true);
      const badRole = await post(
        sb,
        ASSIGN,
        accounts.slackenterprise,
        {},
        { id: slack.users.bob, workspace_id: "T0SALES", roles: [{ id: "Rl99" }] },
      );
      assert.equal(badRole.status, 400);
      assert.deepEqual(badRole.body.raw_response, { ok: false, error: "invalid_role_id" });
    });
  });

  describe("elasticcloud", () => {
    const dan = elastic.users.dan;

    it("grants each role in its own organization when roles[i].organization is set", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.elasticcloud,
        {},
        {
          id: dan,
          roles: [{ id: "deployment-editor", organization: elastic.organizations.staging }],
        },
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.result.roles, [{ id: "deployment-editor", name: "Editor", organization: "4201839312" }]);
    });

    it("grants in every organizations[].id otherwise", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.elasticcloud,
        {},
        {
          id: dan,
          roles: [{ id: "billing-admin" }],
          organizations: [{ id: elastic.organizations.production }, { id: elastic.organizations.staging }],
        },
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(
        response.body.result.roles.map((role: { organization: string }) => role.organization),
        ["4201839311", "4201839312"],
      );
    });

    it("answers 400 naming organizations when neither is given", async () => {
      const response = await post(sb, ASSIGN, accounts.elasticcloud, {}, { id: dan, roles: [{ id: "billing-admin" }] });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.truto_error_insight.missing_required_body_fields.value, ["organizations"]);
    });

    it("answers 404 remote for an unknown user", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.elasticcloud,
        {},
        { id: "42", roles: [{ id: "billing-admin", organization: "4201839311" }] },
      );
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, true);
      assert.equal(response.body.raw_response.errors[0].code, "user.not_found");
      assert.ok(response.body.truto_error_insight.remote_error);
    });
  });

  describe("strict mode (vendor-style errors)", () => {
    beforeEach(() => sb.admin.config({ strictIdempotency: true }));

    it("answers 409 remote for assigning a role already held, and changes nothing", async () => {
      const response = await post(
        sb,
        ASSIGN,
        accounts.jumpcloud,
        {},
        { id: jumpcloud.users.bob, roles: [{ id: "manager" }, { id: "read-only" }] },
      );
      assert.equal(response.status, 409);
      assert.equal(response.body.error, "Conflict");
      assert.equal(response.body.truto_is_remote_error, true);
      const state = await sb.admin.state();
      assert.deepEqual(state.users.find((user) => user.id === jumpcloud.users.bob)?.roles, [{ id: "read-only" }]);
    });

    it("answers 404 remote for unassigning a role not held", async () => {
      const response = await post(sb, UNASSIGN, accounts.jumpcloud, {}, { id: jumpcloud.users.alice, roles: [{ id: "manager" }] });
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, true);
    });

    it("answers 404 remote for a Slack role not held in that workspace", async () => {
      const query = { id: slack.users.alice, workspace_id: slack.workspaces.sales, roles: [{ id: slack.roles.channelManager }] };
      const response = await post(sb, UNASSIGN, accounts.slackenterprise, query);
      assert.equal(response.status, 404);
      assert.equal(response.body.raw_response.rejected_users[0].error, "not_assigned");
    });

    it("answers 404 for Elastic's scope-wide revoke when nothing is held there", async () => {
      const response = await post(
        sb,
        UNASSIGN,
        accounts.elasticcloud,
        { id: elastic.users.alice },
        { organizations: [{ id: "4201839311" }] },
      );
      assert.equal(response.status, 404);
      assert.equal(response.body.truto_is_remote_error, true);
    });

    it("still succeeds for changes that are real", async () => {
      const grant = await post(sb, ASSIGN, accounts.jumpcloud, {}, { id: jumpcloud.users.alice, roles: [{ id: "manager" }] });
      assert.equal(grant.status, 200, grant.text);
      const revoke = await post(sb, UNASSIGN, accounts.jumpcloud, {}, { id: jumpcloud.users.alice, roles: [{ id: "manager" }] });
      assert.equal(revoke.status, 200, revoke.text);
    });

    it("is off again after a reset", async () => {
      await sb.admin.reset();
      const response = await post(sb, UNASSIGN, accounts.jumpcloud, {}, { id: jumpcloud.users.alice, roles: [{ id: "manager" }] });
      assert.equal(response.status, 200, response.text);
    });
  });

  it("succeeds when unassigning a role not held (default, idempotent)", async () => {
    const response = await post(sb, UNASSIGN, accounts.jumpcloud, {}, { id: jumpcloud.users.alice, roles: [{ id: "manager" }] });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.result.roles, []);
  });
});
