/**
 * `check`: the strict, integration-aware validation of a RoleAssignment's inputs, its normalisation, and
 * the pass-through of Pulumi's unknown-value sentinels.
 */
import { strict as assert } from "node:assert";
import { didYouMean } from "../../src/provider/did-you-mean";
import { MAX_ROLE_ID_LENGTH, MAX_ROLES_PER_RESOURCE, checkInputs, propertyPath, type CheckFailure } from "../../src/provider/inputs";
import { INTEGRATIONS } from "../../src/integrations/rules";
import { UNKNOWN_SENTINELS, containsUnknown, isUnknown } from "../../src/provider/unknowns";
import { UNKNOWN, UNKNOWNS } from "../support/pulumi-values";

const ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";

type Inputs = Record<string, unknown>;

const jumpcloud = (over: Inputs = {}): Inputs => ({
  integratedAccountId: ACCOUNT,
  integration: "jumpcloud",
  userId: "j1",
  roles: [{ id: "admin" }],
  ...over,
});
const slack = (over: Inputs = {}): Inputs => ({
  integratedAccountId: ACCOUNT,
  integration: "slackenterprise",
  userId: "U1",
  workspaceId: "T1",
  roles: [{ id: "r1" }],
  ...over,
});
const elastic = (over: Inputs = {}): Inputs => ({
  integratedAccountId: ACCOUNT,
  integration: "elasticcloud",
  userId: "e1",
  organizations: [{ id: "o1" }],
  roles: [{ id: "viewer" }],
  ...over,
});

/** The failures of `check(news)` at `property`, so a test can say which property failed. */
function failuresAt(news: Inputs, property: string): CheckFailure[] {
  return checkInputs(news).failures.filter((f) => f.property === property);
}

/** The only failure of `check(news)`; fails the test if there is not exactly one. */
function onlyFailure(news: Inputs): CheckFailure {
  const { failures } = checkInputs(news);
  assert.equal(failures.length, 1, JSON.stringify(failures));
  return failures[0];
}

/** Whether `v` holds `undefined` anywhere, at a bounded depth. */
function holdsUndefined(v: unknown, depth = 0): boolean {
  if (v === undefined) return true;
  if (depth > 32 || v === null || typeof v !== "object") return false;
  return Object.values(v).some((x) => holdsUndefined(x, depth + 1));
}

describe("check", () => {
  describe("valid inputs", () => {
    it("accepts a JumpCloud assignment", () => {
      assert.deepEqual(checkInputs(jumpcloud()).failures, []);
    });

    it("accepts a Slack Enterprise assignment with a workspace", () => {
      assert.deepEqual(checkInputs(slack()).failures, []);
    });

    it("accepts an Elastic Cloud assignment with organizations", () => {
      assert.deepEqual(checkInputs(elastic()).failures, []);
    });

    it("accepts every integration in the table when its required inputs are given", () => {
      for (const slug of INTEGRATIONS) {
        const news = slug === "slackenterprise" ? slack() : slug === "elasticcloud" ? elastic() : jumpcloud({ integration: slug });
        assert.deepEqual(checkInputs(news).failures, [], slug);
      }
    });

    it("accepts remoteData and remoteQuery with ordinary keys", () => {
      const { failures, inputs } = checkInputs(
        jumpcloud({ remoteData: { note: "x", nested: { a: [1] } }, remoteQuery: { dry_run: "true" } }),
      );
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs.remoteData, { note: "x", nested: { a: [1] } });
      assert.deepEqual(inputs.remoteQuery, { dry_run: "true" });
    });

    it('accepts onDelete "revoke" or "restore" and keeps the resource\'s name', () => {
      for (const onDelete of ["revoke", "restore"]) {
        const { failures, inputs } = checkInputs(jumpcloud({ onDelete, resourceName: "alice-jc" }));
        assert.deepEqual(failures, []);
        assert.equal(inputs.onDelete, onDelete);
        assert.equal(inputs.resourceName, "alice-jc");
      }
    });

    it("refuses any other onDelete, saying what each value does", () => {
      const failure = onlyFailure(jumpcloud({ onDelete: "keep" }));
      assert.equal(failure.property, "onDelete");
      assert.match(failure.reason, /"revoke".*"restore".*not "keep"/);
    });
  });

  describe("normalisation", () => {
    it("trims ids, the user and the workspace", () => {
      const { inputs, failures } = checkInputs(slack({ userId: "  U1 ", workspaceId: " T1\t", roles: [{ id: " r1 ", name: " Admin " }] }));
      assert.deepEqual(failures, []);
      assert.equal(inputs.userId, "U1");
      assert.equal(inputs.workspaceId, "T1");
      assert.deepEqual(inputs.roles, [{ id: "r1", name: "Admin" }]);
    });

    it("trims and lowercases the integrated account id so case is never a diff", () => {
      const { inputs } = checkInputs(jumpcloud({ integratedAccountId: ` ${ACCOUNT.toUpperCase()} ` }));
      assert.equal(inputs.integratedAccountId, ACCOUNT);
    });

    it("puts roles in a stable order so reordering is never a diff", () => {
      const roles = [{ id: "b" }, { id: "a", organization: "o2" }, { id: "a", organization: "o1", name: "A" }, { id: "c" }];
      const organizations = [{ id: "o1" }, { id: "o2" }];
      const one = checkInputs(elastic({ roles, organizations })).inputs;
      const other = checkInputs(elastic({ roles: [...roles].reverse(), organizations })).inputs;
      assert.deepEqual(checkInputs(elastic({ roles, organizations })).failures, []);
      assert.deepEqual(one.roles, other.roles);
      assert.deepEqual(one, other);
    });

    it("puts organizations in a stable order", () => {
      const one = checkInputs(elastic({ organizations: [{ id: "o2" }, { id: "o1", name: "One" }] })).inputs;
      const other = checkInputs(elastic({ organizations: [{ id: "o1", name: "One" }, { id: "o2" }] })).inputs;
      assert.deepEqual(one.organizations, [{ id: "o1", name: "One" }, { id: "o2" }]);
      assert.deepEqual(one, other);
    });

    it("leaves out optional inputs given as undefined", () => {
      const { inputs, failures } = checkInputs(
        jumpcloud({
          workspaceId: undefined,
          organizations: undefined,
          remoteData: undefined,
          roles: [{ id: "a", name: undefined, group: undefined }],
        }),
      );
      assert.deepEqual(failures, []);
      assert.equal(holdsUndefined(inputs), false);
      assert.deepEqual(Object.keys(inputs).sort(), ["integratedAccountId", "integration", "roles", "userId"]);
      assert.deepEqual(inputs.roles, [{ id: "a" }]);
    });

    it("never returns undefined values nested in remoteData or remoteQuery", () => {
      const { inputs, failures } = checkInputs(
        jumpcloud({ remoteData: { a: undefined, b: { c: undefined } }, remoteQuery: { q: undefined } }),
      );
      assert.deepEqual(failures, []);
      assert.equal(holdsUndefined(inputs), false);
    });

    it("returns no undefined values when inputs fail", () => {
      const { inputs, failures } = checkInputs(
        jumpcloud({ userId: "", roles: [{ id: "a", name: undefined }], remoteData: { a: undefined } }),
      );
      assert.ok(failures.length > 0);
      assert.equal(holdsUndefined(inputs), false);
    });

    it("keeps __provider in the returned inputs, whether or not they are valid", () => {
      assert.equal(checkInputs(jumpcloud({ __provider: "exports.handler = 1;" })).inputs.__provider, "exports.handler = 1;");
      assert.equal(checkInputs(jumpcloud({ __provider: "exports.handler = 1;", userId: "" })).inputs.__provider, "exports.handler = 1;");
    });

    it("does not validate __provider as an input", () => {
      assert.deepEqual(checkInputs(jumpcloud({ __provider: "anything" })).failures, []);
    });
  });

  describe("unknown properties", () => {
    it("fails a misspelt top-level property with a did-you-mean", () => {
      const f = onlyFailure(jumpcloud({ workspaceID: "T1" }));
      assert.equal(f.property, "workspaceID");
      assert.match(f.reason, /did you mean "workspaceId"\?/);
    });

    it("fails a misspelt role property with a did-you-mean and the allowed keys", () => {
      const f = onlyFailure(jumpcloud({ roles: [{ id: "a", gruop: "g" }] }));
      assert.equal(f.property, "roles[0].gruop");
      assert.match(f.reason, /did you mean "group"\?/);
      assert.match(f.reason, /id, name, group, organization, workspace/);
    });

    it("fails a misspelt organization property with a did-you-mean", () => {
      const f = onlyFailure(elastic({ organizations: [{ id: "o1", nmae: "One" }] }));
      assert.equal(f.property, "organizations[0].nmae");
      assert.match(f.reason, /did you mean "name"\?/);
    });

    it("lists the allowed properties when nothing is close", () => {
      const f = onlyFailure(jumpcloud({ somethingElse: 1 }));
      assert.equal(f.property, "somethingElse");
      assert.doesNotMatch(f.reason, /did you mean/);
      assert.match(
        f.reason,
        /integratedAccountId, integration, userId, workspaceId, organizations, roles, expiresAt, remoteData, remoteQuery/,
      );
    });
  });

  describe("field rules", () => {
    it("requires integratedAccountId to be a UUID and shows one", () => {
      const f = onlyFailure(jumpcloud({ integratedAccountId: "acct-1" }));
      assert.equal(f.property, "integratedAccountId");
      assert.match(f.reason, /UUID/);
      assert.match(f.reason, /62f44730-dd91-461e-bd6a-aedd9e0ad79d/);
    });

    it("says which required input is missing", () => {
      const news = jumpcloud();
      delete news.userId;
      const f = onlyFailure(news);
      assert.equal(f.property, "userId");
      assert.match(f.reason, /required/);
    });

    it("fails a blank role id naming roles[1].id", () => {
      const f = onlyFailure(jumpcloud({ roles: [{ id: "a" }, { id: "   " }] }));
      assert.equal(f.property, "roles[1].id");
      assert.match(f.reason, /empty or blank/);
    });

    it("fails a role without an id naming roles[0].id", () => {
      const f = onlyFailure(jumpcloud({ roles: [{ name: "Admin" }] }));
      assert.equal(f.property, "roles[0].id");
      assert.match(f.reason, /required/);
    });

    it("fails a role id that is not a string", () => {
      assert.equal(onlyFailure(jumpcloud({ roles: [{ id: 7 }] })).property, "roles[0].id");
    });

    it("fails a blank userId, integration and workspaceId", () => {
      assert.equal(failuresAt(jumpcloud({ userId: "" }), "userId").length, 1);
      assert.equal(failuresAt(jumpcloud({ integration: " " }), "integration").length, 1);
      assert.equal(failuresAt(slack({ workspaceId: "" }), "workspaceId").length, 1);
    });

    it("needs at least one role and says how to revoke everything", () => {
      const f = onlyFailure(jumpcloud({ roles: [] }));
      assert.equal(f.property, "roles");
      assert.match(f.reason, /at least one role/);
      assert.match(f.reason, /delete the resource/);
    });

    it("fails roles that are not a list", () => {
      assert.equal(onlyFailure(jumpcloud({ roles: { id: "a" } })).property, "roles");
    });

    it("fails a duplicate role, even when only the name differs", () => {
      const f = onlyFailure(jumpcloud({ roles: [{ id: "a" }, { id: "a", name: "Admin" }] }));
      assert.equal(f.property, "roles[1]");
      assert.match(f.reason, /duplicates roles\[0\]/);
      assert.match(f.reason, /remove one/);
    });

    it("treats an Elastic role in different organizations as different roles", () => {
      const organizations = [{ id: "o1" }, { id: "o2" }];
      assert.deepEqual(
        checkInputs(
          elastic({
            organizations,
            roles: [
              { id: "a", organization: "o1" },
              { id: "a", organization: "o2" },
            ],
          }),
        ).failures,
        [],
      );
    });

    it("fails a Slack role that names the resource's own workspace next to the same role without it, after normalising", () => {
      const f = onlyFailure(slack({ roles: [{ id: "Rl0A" }, { id: "Rl0A", workspace: "T1" }] }));
      assert.equal(f.property, "roles[1]");
      assert.match(f.reason, /duplicates roles\[0\]/);
      assert.match(f.reason, /workspace "T1", the resource's own workspaceId/);
      assert.match(f.reason, /remove one\.$/);
    });

    it("fails an Elastic role that another role of the resource already grants, naming the grant", () => {
      const f = onlyFailure(
        elastic({ organizations: [{ id: "o1" }, { id: "o2" }], roles: [{ id: "viewer" }, { id: "viewer", organization: "o2" }] }),
      );
      assert.equal(f.property, "roles[1]");
      assert.match(f.reason, /grants "viewer" in organization "o2", which roles\[0\] already grants; remove one of them\./);
    });

    it(`fails more than ${MAX_ROLES_PER_RESOURCE} roles, naming roles and the limit`, () => {
      assert.deepEqual(
        checkInputs(jumpcloud({ roles: Array.from({ length: MAX_ROLES_PER_RESOURCE }, (_, i) => ({ id: `r${i}` })) })).failures,
        [],
      );
      const f = onlyFailure(jumpcloud({ roles: Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}` })) }));
      assert.equal(f.property, "roles");
      assert.match(
        f.reason,
        new RegExp(`lists 10000 roles; one resource holds at most ${MAX_ROLES_PER_RESOURCE}: Slack Enterprise sends a request per role`),
      );
      assert.match(f.reason, /split the roles across resources\.$/);
    });

    it(`fails a role id longer than ${MAX_ROLE_ID_LENGTH} characters, naming the property and the limit`, () => {
      assert.deepEqual(checkInputs(jumpcloud({ roles: [{ id: "x".repeat(MAX_ROLE_ID_LENGTH) }] })).failures, []);
      const f = onlyFailure(jumpcloud({ roles: [{ id: "a" }, { id: "x".repeat(900) }] }));
      assert.equal(f.property, "roles[1].id");
      assert.match(f.reason, /the role id is 900 characters long; at most 256 are allowed, since it travels in the query string/);
    });

    it("fails a role whose write alone would not fit one request, naming the role and both sizes", () => {
      // 256 characters of "€" are 2,304 bytes once URL-encoded; with the user id and remoteQuery, past one request.
      const f = onlyFailure(
        jumpcloud({ userId: "u".repeat(1_000), remoteQuery: { note: "n".repeat(600) }, roles: [{ id: "€".repeat(MAX_ROLE_ID_LENGTH) }] }),
      );
      assert.equal(f.property, "roles[0]");
      assert.match(
        f.reason,
        /a write carrying this role alone needs \d+ bytes of query string .*, more than the 3584 that fit one request; shorten them\./,
      );
      assert.deepEqual(checkInputs(jumpcloud({ userId: "u".repeat(1_000), roles: [{ id: "a".repeat(MAX_ROLE_ID_LENGTH) }] })).failures, []);
    });

    it("fails a role scope field the integration's read-back cannot confirm, naming the property and why", () => {
      const f = onlyFailure(jumpcloud({ roles: [{ id: "manager", group: "g" }] }));
      assert.equal(f.property, "roles[0].group");
      assert.equal(
        f.reason,
        "JumpCloud's read-back does not report groups, so a grant in a group could never be confirmed or revoked safely; remove group.",
      );
      const cases: [Inputs, string][] = [
        [slack({ roles: [{ id: "r1", group: "g" }] }), "roles[0].group"],
        [slack({ roles: [{ id: "r1", organization: "o1" }] }), "roles[0].organization"],
        [elastic({ roles: [{ id: "viewer", workspace: "T1" }] }), "roles[0].workspace"],
        [elastic({ roles: [{ id: "viewer", group: "g" }] }), "roles[0].group"],
        [jumpcloud({ roles: [{ id: "a", organization: "o1" }] }), "roles[0].organization"],
        [jumpcloud({ roles: [{ id: "a", workspace: "T1" }] }), "roles[0].workspace"],
        [jumpcloud({ integration: "teamviewer", roles: [{ id: "a", group: "g" }] }), "roles[0].group"],
      ];
      for (const [news, property] of cases) {
        const only = onlyFailure(news);
        assert.equal(only.property, property, JSON.stringify(news.roles));
        assert.match(
          only.reason,
          /read-back does not report \w+s, so a grant in an? \w+ could never be confirmed or revoked safely; remove \w+/,
        );
      }
    });

    it("fails a duplicate organization", () => {
      const f = onlyFailure(elastic({ organizations: [{ id: "o1" }, { id: "o1", name: "One" }] }));
      assert.equal(f.property, "organizations[1]");
    });

    it("fails remoteData that is not an object", () => {
      assert.equal(onlyFailure(jumpcloud({ remoteData: "x" })).property, "remoteData");
    });

    it("ends every reason with a full stop and names a property", () => {
      const { failures } = checkInputs({
        integratedAccountId: "x",
        integration: "",
        userId: 3,
        roles: [{ id: "" }, {}],
        remoteData: 1,
        extra: true,
      });
      assert.ok(failures.length >= 6, JSON.stringify(failures));
      for (const f of failures) {
        assert.ok(f.property.length > 0, JSON.stringify(f));
        assert.match(f.reason, /\.$|\?$/, JSON.stringify(f));
      }
    });
  });

  describe("integration rules", () => {
    it("fails a slug the table does not know, listing the supported ones", () => {
      const f = onlyFailure(jumpcloud({ integration: "okta" }));
      assert.equal(f.property, "integration");
      for (const slug of INTEGRATIONS) assert.ok(f.reason.includes(slug), slug);
    });

    it("suggests the closest slug for a typo", () => {
      assert.match(onlyFailure(jumpcloud({ integration: "jumpclod" })).reason, /did you mean "jumpcloud"\?/);
    });

    it("requires workspaceId for Slack Enterprise and shows what it looks like", () => {
      const news = slack();
      delete news.workspaceId;
      const f = onlyFailure(news);
      assert.equal(f.property, "workspaceId");
      assert.match(f.reason, /Slack Enterprise needs workspaceId/);
    });

    it("requires organizations for Elastic Cloud and says why", () => {
      const news = elastic();
      delete news.organizations;
      const f = onlyFailure(news);
      assert.equal(f.property, "organizations");
      assert.match(f.reason, /Elastic Cloud needs organizations/);
      assert.match(f.reason, /every role/);
    });

    it("fails an empty organizations list", () => {
      assert.equal(onlyFailure(elastic({ organizations: [] })).property, "organizations");
    });

    it("fails workspaceId on an integration without workspaces", () => {
      for (const over of [jumpcloud({ workspaceId: "T1" }), elastic({ workspaceId: "T1" })]) {
        const f = onlyFailure(over);
        assert.equal(f.property, "workspaceId");
        assert.match(f.reason, /remove workspaceId/);
      }
    });

    it("fails organizations on an integration without organizations", () => {
      for (const over of [jumpcloud({ organizations: [{ id: "o1" }] }), slack({ organizations: [{ id: "o1" }] })]) {
        assert.equal(onlyFailure(over).property, "organizations");
      }
    });

    it("fails a Slack role pinned to another workspace", () => {
      const f = onlyFailure(slack({ roles: [{ id: "r1", workspace: "T2" }] }));
      assert.equal(f.property, "roles[0].workspace");
      assert.match(f.reason, /"T1"/);
    });

    it("accepts a Slack role that names the resource's own workspace", () => {
      assert.deepEqual(checkInputs(slack({ roles: [{ id: "r1", workspace: "T1" }] })).failures, []);
    });

    it("fails an Elastic role in an organization outside the resource's", () => {
      const f = onlyFailure(elastic({ roles: [{ id: "viewer", organization: "o9" }] }));
      assert.equal(f.property, "roles[0].organization");
      assert.match(f.reason, /o1/);
    });

    for (const key of ["integrated_account_id", "id", "roles", "workspace_id"]) {
      it(`fails the reserved remoteQuery key ${key}, naming remoteQuery.${key}`, () => {
        const f = onlyFailure(jumpcloud({ remoteQuery: { [key]: "x", fine: "y" } }));
        assert.equal(f.property, `remoteQuery.${key}`);
        assert.match(f.reason, /resource's own inputs/);
      });
    }

    it("fails remoteQuery keys with brackets, which would break out of remote_query[...]", () => {
      assert.equal(onlyFailure(jumpcloud({ remoteQuery: { "a][b": "x" } })).property, "remoteQuery.a][b");
    });
  });

  describe("__proto__ keys", () => {
    // JSON.parse makes "__proto__" an own property, as the engine's decoded inputs would have it; a later
    // duplicate key (e.g. "roles") replaces the default one.
    const parse = (extra: string) =>
      JSON.parse(`{"integratedAccountId":"${ACCOUNT}","integration":"jumpcloud","userId":"j1","roles":[{"id":"a"}],${extra}}`) as Inputs;

    const cases = [
      `"__proto__":{"polluted":true}`,
      `"roles":[{"id":"a","__proto__":{"polluted":true}}]`,
      `"remoteData":{"__proto__":{"polluted":true}}`,
      `"remoteQuery":{"__proto__":{"polluted":true}}`,
      `"remoteData":{"deep":{"__proto__":{"polluted":true}}}`,
      `"roles":{"__proto__":{"polluted":true}}`,
    ];

    for (const extra of cases) {
      it(`never throws and pollutes nothing for ${extra}`, () => {
        const news = parse(extra);
        const result = checkInputs(news);
        assert.ok(Array.isArray(result.failures));
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.getPrototypeOf(result.inputs), Object.prototype);
        assert.equal(result.inputs.polluted, undefined);
        for (const v of Object.values(result.inputs)) {
          if (v && typeof v === "object" && !Array.isArray(v)) assert.equal(Object.getPrototypeOf(v), Object.prototype);
        }
      });
    }

    it("fails a top-level __proto__ as an unknown property", () => {
      assert.equal(onlyFailure(parse(`"__proto__":{"x":1}`)).property, "__proto__");
    });

    it("fails a role's __proto__ as an unknown property", () => {
      assert.equal(onlyFailure(parse(`"roles":[{"id":"a","__proto__":{"x":1}}]`)).property, "roles[0].__proto__");
    });

    it("fails constructor as a remoteData key", () => {
      assert.equal(onlyFailure(parse(`"remoteData":{"constructor":{"x":1}}`)).property, "remoteData.constructor");
    });

    it("fails __proto__ as a remoteData or remoteQuery key instead of dropping it", () => {
      assert.equal(onlyFailure(parse(`"remoteData":{"__proto__":{"x":1}}`)).property, "remoteData.__proto__");
      assert.equal(onlyFailure(parse(`"remoteQuery":{"__proto__":{"x":1}}`)).property, "remoteQuery.__proto__");
    });
  });

  describe("unknown values", () => {
    it("knows the same seven sentinels as the engine", () => {
      assert.deepEqual(Object.values(UNKNOWN_SENTINELS).sort(), [...UNKNOWNS].sort());
      assert.equal(new Set(UNKNOWNS).size, 7);
    });

    for (const sentinel of UNKNOWNS) {
      it(`passes ${sentinel} through untouched in every input`, () => {
        const news = {
          integratedAccountId: sentinel,
          integration: sentinel,
          userId: sentinel,
          workspaceId: sentinel,
          organizations: sentinel,
          roles: sentinel,
          remoteData: sentinel,
          remoteQuery: sentinel,
          __provider: "P",
        };
        const { inputs, failures } = checkInputs(news);
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs, news);
      });
    }

    it("passes a whole unknown roles array with known fields around it", () => {
      const { inputs, failures } = checkInputs(slack({ roles: UNKNOWN }));
      assert.deepEqual(failures, []);
      assert.equal(inputs.roles, UNKNOWN);
      assert.equal(inputs.userId, "U1");
    });

    it("passes unknown values inside roles and organizations without validating or reordering them", () => {
      const roles = [{ id: "b" }, UNKNOWN, { id: UNKNOWN, name: UNKNOWNS[2] }];
      const { inputs, failures } = checkInputs(jumpcloud({ roles }));
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs.roles, roles);

      const orgs = [{ id: "o2" }, { id: UNKNOWN }];
      const e = checkInputs(elastic({ organizations: orgs, roles: [{ id: "viewer", organization: UNKNOWN }] }));
      assert.deepEqual(e.failures, []);
      assert.deepEqual(e.inputs.organizations, orgs);
    });

    it("passes unknown values at any depth of remoteData", () => {
      const remoteData = { a: { b: [UNKNOWN, { c: UNKNOWNS[6] }] } };
      const { inputs, failures } = checkInputs(jumpcloud({ remoteData }));
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs.remoteData, remoteData);
    });

    it("skips integration-aware rules while the integration is unknown", () => {
      assert.deepEqual(checkInputs(jumpcloud({ integration: UNKNOWN, workspaceId: "T1", organizations: [{ id: "o1" }] })).failures, []);
    });

    it("skips the workspace match while workspaceId is unknown", () => {
      assert.deepEqual(checkInputs(slack({ workspaceId: UNKNOWN, roles: [{ id: "r1", workspace: "T2" }] })).failures, []);
    });

    it("still validates the known inputs next to unknown ones", () => {
      const f = onlyFailure(jumpcloud({ roles: UNKNOWN, integratedAccountId: "not-a-uuid" }));
      assert.equal(f.property, "integratedAccountId");
    });

    it("does not count two unknown roles as duplicates", () => {
      assert.deepEqual(checkInputs(jumpcloud({ roles: [{ id: UNKNOWN }, { id: UNKNOWN }] })).failures, []);
    });
  });

  describe("robustness", () => {
    it("answers with a failure, never a throw, for inputs that are not an object", () => {
      for (const news of [null, undefined, [], "x", 3]) {
        const { inputs, failures } = checkInputs(news as never);
        assert.deepEqual(inputs, {});
        assert.equal(failures.length, 1);
      }
    });

    it("answers with failures for odd role entries", () => {
      const { failures } = checkInputs(jumpcloud({ roles: [null, 5, "x", [], { id: "a" }] }));
      assert.deepEqual(
        failures.map((f) => f.property),
        ["roles[0]", "roles[1]", "roles[2]", "roles[3]"],
      );
    });
  });
});

describe("propertyPath", () => {
  it("formats zod paths the way Pulumi shows properties", () => {
    assert.equal(propertyPath(["roles", 1, "id"]), "roles[1].id");
    assert.equal(propertyPath(["remoteQuery", "id"]), "remoteQuery.id");
    assert.equal(propertyPath([]), "");
  });
});

describe("didYouMean", () => {
  it("suggests a close candidate, ignoring case", () => {
    assert.equal(didYouMean("userid", ["userId", "roles"]), "userId");
    assert.equal(didYouMean("role", ["userId", "roles"]), "roles");
  });

  it("suggests nothing when no candidate is close", () => {
    assert.equal(didYouMean("banana", ["userId", "roles"]), undefined);
  });
});

describe("unknowns", () => {
  it("recognises each sentinel and nothing else", () => {
    for (const s of UNKNOWNS) assert.equal(isUnknown(s), true, s);
    for (const v of ["", "04da6b54", ACCOUNT, null, undefined, 0, {}, []]) assert.equal(isUnknown(v), false, String(v));
  });

  it("finds a sentinel at any depth", () => {
    assert.equal(containsUnknown({ a: [{ b: { c: [UNKNOWNS[3]] } }] }), true);
    assert.equal(containsUnknown({ a: [{ b: { c: ["known"] } }] }), false);
  });

  it("stops at a bounded depth instead of overflowing on deep values", () => {
    let deep: unknown = UNKNOWN;
    for (let i = 0; i < 200; i++) deep = [deep];
    assert.equal(containsUnknown(deep), false);
  });
});
