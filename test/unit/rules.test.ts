/**
 * The integration table against Truto's unassign-role reference page (the seed), row by row, and the
 * placement decision the client makes from it.
 */
import { strict as assert } from "node:assert";
import {
  INTEGRATIONS,
  RULES,
  isKnownIntegration,
  placeField,
  ruleFor,
  type Placement,
  type RequestField,
} from "../../src/integrations/rules";

const FIELDS: readonly RequestField[] = ["id", "roles", "workspace_id", "organizations"];

describe("rules", () => {
  describe("the table", () => {
    it("knows exactly the six integrations Truto documents unassign-role for", () => {
      assert.deepEqual([...INTEGRATIONS].sort(), [
        "blackline",
        "crowdstrike",
        "elasticcloud",
        "jumpcloud",
        "slackenterprise",
        "teamviewer",
      ]);
      assert.deepEqual(Object.keys(RULES).sort(), [...INTEGRATIONS].sort());
    });

    it("keys every row by its own slug", () => {
      for (const slug of INTEGRATIONS) assert.equal(RULES[slug].slug, slug);
    });

    it("marks the three seed rows as documented by the seed and the rest as generic", () => {
      const documented = Object.fromEntries(INTEGRATIONS.map((s) => [s, RULES[s].documented]));
      assert.deepEqual(documented, {
        elasticcloud: "seed",
        slackenterprise: "seed",
        jumpcloud: "seed",
        blackline: "generic",
        crowdstrike: "generic",
        teamviewer: "generic",
      });
    });
  });

  describe("unassign-role, seed rows", () => {
    it("elasticcloud: query id required, body id supported, no roles anywhere", () => {
      const p = RULES.elasticcloud.unassignRole;
      assert.equal(p.query.id, "required");
      assert.equal(p.body.id, "supported");
      assert.equal(p.query.roles, undefined);
      assert.equal(p.body.roles, undefined);
      assert.equal(p.query.workspace_id, undefined);
      assert.equal(p.body.workspace_id, undefined);
      // organizations[] in the body carries the scope; the page lists the field but its integration is cut off.
      assert.deepEqual(p, { query: { id: "required" }, body: { id: "supported", organizations: "supported" } });
    });

    it("slackenterprise: query id, roles and workspace_id required, nothing in the body", () => {
      assert.deepEqual(RULES.slackenterprise.unassignRole, {
        query: { id: "required", roles: "required", workspace_id: "required" },
        body: {},
      });
    });

    it("jumpcloud: query id supported, body id and roles required", () => {
      assert.deepEqual(RULES.jumpcloud.unassignRole, {
        query: { id: "supported" },
        body: { id: "required", roles: "required" },
      });
    });
  });

  describe("unassign-role, generic rows", () => {
    for (const slug of ["blackline", "crowdstrike", "teamviewer"] as const) {
      it(`${slug}: body id and roles supported (not required), nothing in the query`, () => {
        assert.deepEqual(RULES[slug].unassignRole, { query: {}, body: { id: "supported", roles: "supported" } });
        assert.equal(placeField(RULES[slug].unassignRole, "id"), "body");
        assert.equal(placeField(RULES[slug].unassignRole, "roles"), "body");
      });
    }

    it("credits the older unassign_role page where it lists the field, and says inferred elsewhere", () => {
      assert.deepEqual(RULES.crowdstrike.sources.unassignRole, { id: "unassign_role (older)", roles: "unassign_role (older)" });
      assert.deepEqual(RULES.teamviewer.sources.unassignRole, { id: "inferred", roles: "unassign_role (older)" });
      assert.deepEqual(RULES.blackline.sources.unassignRole, { id: "inferred", roles: "inferred" });
    });
  });

  describe("sources", () => {
    it("names a page, or says inferred, for every field each row sends, and for no other", () => {
      for (const slug of INTEGRATIONS) {
        const rule = RULES[slug];
        for (const [method, placement] of [
          ["unassignRole", rule.unassignRole],
          ["assignRole", rule.assignRole],
        ] as const) {
          const sent = FIELDS.filter((f) => placeField(placement, f) !== "omit").sort();
          assert.deepEqual(Object.keys(rule.sources[method]).sort(), sent, `${slug}.${method}`);
        }
      }
    });

    it("credits the seed page for the seed rows' unassign-role fields, except Elastic's organizations (inferred)", () => {
      assert.deepEqual(RULES.elasticcloud.sources.unassignRole, { id: "unassign-role", organizations: "inferred" });
      for (const slug of ["slackenterprise", "jumpcloud"] as const)
        for (const source of Object.values(RULES[slug].sources.unassignRole)) assert.equal(source, "unassign-role", slug);
    });

    it("marks assign-role inferred, but for Slack Enterprise's body roles and workspace_id on the older assign_role page", () => {
      for (const slug of INTEGRATIONS) {
        const documented = Object.entries(RULES[slug].sources.assignRole).filter(([, source]) => source !== "inferred");
        assert.deepEqual(
          documented,
          slug === "slackenterprise"
            ? [
                ["roles", "assign_role (older)"],
                ["workspace_id", "assign_role (older)"],
              ]
            : [],
          slug,
        );
      }
    });
  });

  describe("assign-role", () => {
    it("is marked inferred on every row", () => {
      for (const slug of INTEGRATIONS) assert.equal(RULES[slug].assignRoleInferred, true, slug);
    });

    it("sends every identifying field in both the query and the body on every row", () => {
      for (const slug of INTEGRATIONS) {
        const p = RULES[slug].assignRole;
        for (const field of FIELDS) {
          assert.ok(p.query[field] !== undefined && p.query[field] === p.body[field], `${slug}.${field}`);
          assert.equal(placeField(p, field), "both", `${slug}.${field}`);
        }
        assert.equal(p.query.id, "required", slug);
        assert.equal(p.query.roles, "required", slug);
      }
    });
  });

  describe("behaviour columns", () => {
    it("sends one role per request for Slack Enterprise only", () => {
      for (const slug of INTEGRATIONS) assert.equal(RULES[slug].rolesPerRequest, slug === "slackenterprise" ? "one" : "many", slug);
    });

    it("treats Elastic Cloud's revoke as whole-scope and every other as listed roles", () => {
      for (const slug of INTEGRATIONS) assert.equal(RULES[slug].revokes, slug === "elasticcloud" ? "whole-scope" : "listed-roles", slug);
    });

    it("scopes Slack roles by workspace and Elastic roles by organization", () => {
      const scopes = Object.fromEntries(INTEGRATIONS.map((s) => [s, RULES[s].roleScope]));
      assert.deepEqual(scopes, {
        elasticcloud: "organization",
        slackenterprise: "workspace",
        jumpcloud: "none",
        blackline: "none",
        crowdstrike: "none",
        teamviewer: "none",
      });
    });

    it("requires workspaceId for Slack, organizations for Elastic, nothing else", () => {
      const required = Object.fromEntries(INTEGRATIONS.map((s) => [s, [...RULES[s].requiredInputs]]));
      assert.deepEqual(required, {
        elasticcloud: ["organizations"],
        slackenterprise: ["workspaceId"],
        jumpcloud: [],
        blackline: [],
        crowdstrike: [],
        teamviewer: [],
      });
    });

    it("confirms a role's workspace on Slack and its organization on Elastic, and no group anywhere", () => {
      const confirmable = Object.fromEntries(INTEGRATIONS.map((s) => [s, [...RULES[s].confirmableRoleFields]]));
      assert.deepEqual(confirmable, {
        elasticcloud: ["organization"],
        slackenterprise: ["workspace"],
        jumpcloud: [],
        blackline: [],
        crowdstrike: [],
        teamviewer: [],
      });
    });

    it("can confirm the field each row fills from the resource's scope", () => {
      for (const slug of INTEGRATIONS) {
        const { roleScope, confirmableRoleFields } = RULES[slug];
        if (roleScope !== "none") assert.ok(confirmableRoleFields.includes(roleScope), slug);
      }
    });

    it("reads Slack back from role assignments and the others from the user's roles", () => {
      for (const slug of INTEGRATIONS)
        assert.equal(RULES[slug].readBack, slug === "slackenterprise" ? "role-assignments" : "user-roles", slug);
    });
  });

  describe("ruleFor", () => {
    it("returns the row for a known slug", () => {
      assert.equal(ruleFor("jumpcloud"), RULES.jumpcloud);
    });

    it("fails for an unknown slug, listing the supported ones", () => {
      assert.throws(
        () => ruleFor("okta"),
        (e: Error) => e.message.includes('"okta"') && INTEGRATIONS.every((s) => e.message.includes(s)),
      );
    });

    it("is case-sensitive, as Truto's slugs are", () => {
      assert.equal(isKnownIntegration("JumpCloud"), false);
      assert.equal(isKnownIntegration("jumpcloud"), true);
      assert.equal(isKnownIntegration("__proto__"), false);
    });
  });

  describe("placeField", () => {
    const unassign = (slug: keyof typeof RULES) => (field: RequestField) => placeField(RULES[slug].unassignRole, field);

    it("places Elastic Cloud's id in the query (required there), organizations in the body, and omits roles", () => {
      const at = unassign("elasticcloud");
      assert.deepEqual(FIELDS.map(at), ["query", "omit", "omit", "body"]);
    });

    it("places Slack Enterprise's id, roles and workspace_id in the query and omits organizations", () => {
      const at = unassign("slackenterprise");
      assert.deepEqual(FIELDS.map(at), ["query", "query", "query", "omit"]);
    });

    it("places JumpCloud's id and roles in the body (required there), omitting the rest", () => {
      const at = unassign("jumpcloud");
      assert.deepEqual(FIELDS.map(at), ["body", "body", "omit", "omit"]);
    });

    for (const slug of ["blackline", "crowdstrike", "teamviewer"] as const) {
      it(`places ${slug}'s id and roles in the body, omitting the rest`, () => {
        assert.deepEqual(FIELDS.map(unassign(slug)), ["body", "body", "omit", "omit"]);
      });
    }

    it("decides from the documented needs alone", () => {
      const cases: [Placement, ReturnType<typeof placeField>][] = [
        [{ query: { id: "required" }, body: { id: "required" } }, "both"],
        [{ query: { id: "supported" }, body: { id: "supported" } }, "both"],
        [{ query: { id: "required" }, body: { id: "supported" } }, "query"],
        [{ query: { id: "supported" }, body: { id: "required" } }, "body"],
        [{ query: { id: "required" }, body: {} }, "query"],
        [{ query: {}, body: { id: "required" } }, "body"],
        [{ query: { id: "supported" }, body: {} }, "query"],
        [{ query: {}, body: { id: "supported" } }, "body"],
        [{ query: {}, body: {} }, "omit"],
      ];
      for (const [placement, expected] of cases) assert.equal(placeField(placement, "id"), expected, JSON.stringify(placement));
    });
  });
});
