import { strict as assert } from "node:assert";
import { buildAccessMap } from "../../src/export/access-map";
import { camelIdentifier, IdentifierPool } from "../../src/export/identifiers";
import type { LiveAccount } from "../../src/export/live-access";
import { RULES } from "../../src/integrations/rules";

describe("export: identifiers", () => {
  it("camelCases vendor names into safe identifiers", () => {
    assert.equal(camelIdentifier("Channel Manager"), "channelManager");
    assert.equal(camelIdentifier("JumpCloud"), "jumpCloud");
    assert.equal(camelIdentifier("CRM admin"), "crmAdmin");
    assert.equal(camelIdentifier("Élan Vital"), "elanVital");
    assert.equal(camelIdentifier("2FA Admin"), "_2faAdmin");
    assert.equal(camelIdentifier("__proto__", "role x"), "proto");
    assert.equal(camelIdentifier("!!!", "role Rl0A"), "roleRl0A");
    assert.match(camelIdentifier("名前", "名前"), /^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it("numbers a name that is already taken", () => {
    const pool = new IdentifierPool();
    assert.deepEqual([pool.take("Admin"), pool.take("admin"), pool.take("ADMIN")], ["admin", "admin2", "admin3"]);
  });
});

const account = (over: Partial<LiveAccount>): LiveAccount => ({
  integratedAccountId: "acct-1",
  rule: RULES.jumpcloud,
  users: [],
  roles: [],
  scopes: [],
  grants: [],
  ...over,
});

describe("export: buildAccessMap", () => {
  it("gives two roles of one name distinct constants, and a held role missing from the catalogue a constant from its id", () => {
    const map = buildAccessMap([
      account({
        users: [{ id: "u1", email: "a@x.test", name: "A" }],
        roles: [
          { id: "r1", name: "Admin" },
          { id: "r2", name: "Admin" },
        ],
        grants: [
          { userId: "u1", roleId: "r2" },
          { userId: "u1", roleId: "ghost" },
        ],
      }),
    ]);
    assert.deepEqual(
      map.apps[0]!.roles.map((r) => [r.key, r.id]),
      [
        ["admin", "r1"],
        ["admin2", "r2"],
        ["ghost", "ghost"],
      ],
    );
    assert.deepEqual(map.team, { a: { jumpCloud: { all: ["r2", "ghost"] } } });
  });

  it("matches people by email ignoring case, keeps two users of one email in one app apart, and keys a user without email by name", () => {
    const map = buildAccessMap([
      account({
        users: [
          { id: "j1", email: "Pat@x.test", name: "Pat" },
          { id: "j2", email: "pat@x.test" },
          { id: "j3", name: "No Mail" },
        ],
      }),
      account({ integratedAccountId: "acct-2", rule: RULES.teamviewer, users: [{ id: "t1", email: "PAT@x.test" }] }),
    ]);
    assert.deepEqual(
      map.people.map((p) => [p.key, p.ids]),
      [
        ["noMail", { jumpCloud: "j3" }],
        ["pat", { jumpCloud: "j1", teamViewer: "t1" }],
        ["pat2", { jumpCloud: "j2" }],
      ],
    );
  });

  it("puts Slack roles under their workspace, and leaves out an Elastic role held in no organization, saying so", () => {
    const map = buildAccessMap([
      account({
        rule: RULES.slackenterprise,
        users: [{ id: "U1", email: "a@x.test" }],
        roles: [{ id: "Rl0A", name: "Channel Manager" }],
        scopes: [{ id: "T1", name: "Platform" }],
        grants: [
          { userId: "U1", roleId: "Rl0A", scope: "T1" },
          { userId: "U1", roleId: "Rl0A", scope: "T9" },
        ],
      }),
      account({
        integratedAccountId: "acct-e",
        rule: RULES.elasticcloud,
        users: [{ id: "E1", email: "a@x.test" }],
        grants: [{ userId: "E1", roleId: "viewer" }],
      }),
    ]);
    assert.deepEqual(map.team, { a: { slackEnterprise: { platform: ["Rl0A"], t9: ["Rl0A"] } } });
    assert.equal(map.skipped.length, 1);
    assert.match(map.skipped[0]!, /Elastic Cloud account acct-e: role viewer of user E1 names no organization/);
  });
});
