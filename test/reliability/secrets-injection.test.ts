/**
 * Secrets and injection: the token never shows up in __provider, inputs, outputs, error messages or
 * anything the host prints (even when Truto echoes it back); a non-loopback http:// base URL is refused;
 * hostile user and role ids reach the sandbox as the same single value; and remoteQuery cannot
 * override integrated_account_id, id, roles or workspace_id.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS, type LoggedRequest, type SandboxState } from "../../src/sandbox";
import { urn } from "../support/host";
import { INTEGRATION_CASES, type IntegrationCase } from "../support/reliability/cases";
import { sandboxGrants } from "../support/reliability/holdings";
import { useReliabilityRig } from "../support/reliability/rig";
import { recordRun, SECTIONS } from "../support/reliability/table";

const SECTION = SECTIONS.secrets;
const ASSIGN = "/unified/user-directory/users/assign-role";

type Props = Record<string, unknown>;

/** User ids that break naive URL building, each paired with an equally hostile role id. */
const HOSTILE: readonly [user: string, role: string][] = [
  ["a/b", "r/1"],
  ["../admin", ".."],
  ["x?id=evil&integrated_account_id=other", "r?x=1#y"],
  ["frag#ment", "50%off"],
  ["100%", "%2F"],
  ["%2e%2e%2fadmin", "%2e%2e"],
  ["line\nbreak", "role\nnext"],
  ["ünïcødé-用户-🧑‍💻", "rôle-角色-🔑"],
  ["roles[0][id]=evil", "[0][id]"],
  ["a&id=admin", "r&roles[0][id]=evil"],
];
const DECOY_USERS = ["admin", "evil", "other", "a", "x"];
const DECOY_ROLES = ["evil", "r", "x", "1"];

function withHostileRecords(state: SandboxState, c: IntegrationCase): SandboxState {
  for (const id of [...HOSTILE.map(([u]) => u), ...DECOY_USERS]) {
    state.users.push({
      accountId: c.accountId,
      id,
      name: `Hostile ${JSON.stringify(id)}`,
      email: "h@example.com",
      status: "active",
      roles: [],
    });
  }
  for (const id of [...HOSTILE.map(([, r]) => r), ...DECOY_ROLES]) state.roles.push({ accountId: c.accountId, id, name: id });
  return state;
}

function rolesOfOthers(state: SandboxState, accountId: string, except: string): string {
  return JSON.stringify(
    state.users.filter((u) => !(u.accountId === accountId && u.id === except)).map((u) => [u.accountId, u.id, u.roles]),
  );
}

describe("reliability: secrets and injection", function () {
  this.timeout(90_000);
  const rig = useReliabilityRig({ sandbox: { rateLimit: false } });

  const recorded = (scenario: string, run: () => Promise<string>, subject?: string) => recordRun(SECTION, scenario, run, subject);

  describe("the token", () => {
    it("is redacted from error messages when Truto echoes it back (JSON message, text body)", () =>
      recorded("token echoed back by Truto in an error", async () => {
        const c = INTEGRATION_CASES[1];
        await rig.admin.faults({
          method: "POST",
          path: ASSIGN,
          count: 1,
          status: 401,
          body: { statusCode: 401, error: "Unauthorized", message: `Invalid token ${rig.token} (Authorization: Bearer ${rig.token})` },
        });
        const step = await rig.engine.create("echo1", c.inputs(c.roles));
        assert.equal(step.kind, "error");
        assert.ok(!step.error!.message.includes(rig.token), "the echoed token is not in the message");
        assert.match(step.error!.message, /\[redacted\]/);
        await rig.admin.faults({
          method: "POST",
          path: ASSIGN,
          count: 1,
          status: 403,
          body: `<html>forbidden for Bearer ${rig.token}</html>`,
        });
        const text = await rig.engine.create("echo2", c.inputs(c.roles));
        assert.equal(text.kind, "error");
        assert.ok(!text.error!.message.includes(rig.token), "not from a text body either");
        return "redacted ([redacted]) from JSON and text error bodies";
      }));

    it("given as secret stack config, reaches no input, output or state", () =>
      recorded("token from secret stack config", async () => {
        const viaConfig = await rig.extraHost({ TRUTO_API_TOKEN: undefined, TRUTO_BASE_URL: undefined });
        await viaConfig.configure({ "truto:apiToken": { secret: rig.token }, "truto:baseUrl": rig.url });
        const engine = rig.engineFor(viaConfig);
        const c = INTEGRATION_CASES[0];
        const made = await engine.create("cfg", c.inputs(c.roles));
        assert.equal(made.kind, "ok", made.error?.message);
        const read = await engine.refresh("cfg", made.state!);
        const gone = await engine.destroy("cfg", read.state!);
        assert.equal(gone.kind, "ok");
        for (const v of [made.state, read.state]) assert.ok(!JSON.stringify(v).includes(rig.token));
        return "create, refresh, destroy: no trace in state, outputs or host output";
      }));
  });

  describe("the base URL", () => {
    const REFUSED = [
      "http://example.com",
      "http://10.0.0.5:8080",
      "http://169.254.169.254",
      "http://localhost.evil.example",
      "http://127.0.0.1.nip.io",
      "http://0.0.0.0:9",
      "ftp://127.0.0.1",
    ];

    it("refuses plain http:// to anything but loopback, from env and from stack config, before any request", () =>
      recorded("non-loopback http:// base URL", async () => {
        const c = INTEGRATION_CASES[1];
        const made = await rig.engine.create("url-ok", c.inputs(c.roles));
        assert.equal(made.kind, "ok");
        for (const url of REFUSED) {
          const viaEnv = await rig.extraHost({ TRUTO_BASE_URL: url });
          const engine = rig.engineFor(viaEnv);
          for (const step of [
            await engine.create("url", c.inputs(c.roles)),
            await engine.refresh("url-ok", made.state!),
            await engine.destroy("url-ok", made.state!),
          ]) {
            assert.equal(step.kind, "error", `${url} must be refused (${step.op})`);
            assert.match(step.error!.message, /TRUTO_BASE_URL/);
            assert.match(step.error!.message, /allowed only for loopback|unsupported protocol|use https/);
          }
          await viaEnv.kill();
        }
        const viaConfig = await rig.extraHost({ TRUTO_BASE_URL: undefined });
        const engine = rig.engineFor(viaConfig);
        for (const url of REFUSED.slice(0, 3)) {
          await viaConfig.configure({ "truto:baseUrl": url });
          const step = await engine.create("url-cfg", c.inputs(c.roles));
          assert.equal(step.kind, "error");
          assert.match(step.error!.message, /truto:baseUrl/);
        }
        assert.deepEqual(
          sandboxGrants(await rig.admin.state(), { accountId: c.accountId, userId: c.userId }).length,
          2,
          "the refused hosts changed nothing",
        );
        return `${REFUSED.length} URLs refused for create, refresh and destroy (env), 3 via stack config; loopback allowed`;
      }));
  });

  describe("hostile ids", () => {
    for (const c of INTEGRATION_CASES) {
      it(`${c.label}: user and role ids with / .. ? # % newlines and unicode reach the sandbox as the same single value`, () =>
        recorded(
          `ids with / .. ? # % \\n unicode`,
          async () => {
            await rig.admin.putState(withHostileRecords(await rig.admin.state(), c));
            for (const [user, role] of HOSTILE) {
              const name = `h-${HOSTILE.findIndex(([u]) => u === user)}`;
              const inputs = { ...c.inputs([role]), userId: user };
              const before = await rig.admin.state();
              await rig.admin.clearRequests();
              const made = await rig.engine.create(name, inputs);
              assert.equal(made.kind, "ok", `${JSON.stringify(user)}: ${made.error?.message}`);
              const after = await rig.admin.state();
              assert.deepEqual(
                after.users.find((u) => u.accountId === c.accountId && u.id === user)!.roles.map((r) => r.id),
                [role],
                `${JSON.stringify(user)} holds exactly ${JSON.stringify(role)}`,
              );
              assert.equal(rolesOfOthers(after, c.accountId, user), rolesOfOthers(before, c.accountId, user), "nobody else changed");
              assertSameValues(await rig.admin.requests(), c, user, role);
              const gone = await rig.engine.destroy(name, made.state!);
              assert.equal(gone.kind, "ok", gone.error?.message);
              assert.deepEqual(sandboxGrants(await rig.admin.state(), { accountId: c.accountId, userId: user }), []);
            }
            return `${HOSTILE.length} hostile user/role pairs granted and revoked exactly; decoys untouched`;
          },
          c.label,
        ));
    }

    it('refuses userId "." and ".." in check, naming userId (URL parsers resolve them as paths)', async () => {
      for (const userId of [".", ".."]) {
        const res = await rig.host.check(urn("dots"), {}, rig.engine.program({ ...INTEGRATION_CASES[1].inputs(["manager"]), userId }));
        assert.deepEqual(
          res.failures.map((f) => f.property),
          ["userId"],
        );
      }
    });
  });

  describe("remoteQuery", () => {
    it("cannot name integrated_account_id, id, roles or workspace_id, or use brackets: check names each one", async () => {
      const c = INTEGRATION_CASES[0];
      const res = await rig.host.check(
        urn("rq"),
        {},
        rig.engine.program({
          ...c.inputs(["Rl03"]),
          remoteQuery: { integrated_account_id: "x", id: "x", roles: "x", workspace_id: "x", "a]": 1, "b[c": 2 },
        }),
      );
      assert.deepEqual(res.failures.map((f) => f.property).sort(), [
        "remoteQuery.a]",
        "remoteQuery.b[c",
        "remoteQuery.id",
        "remoteQuery.integrated_account_id",
        "remoteQuery.roles",
        "remoteQuery.workspace_id",
      ]);
    });

    it("cannot override the call's identity even when check is bypassed: reserved keys are dropped, the rest stays nested", () =>
      recorded("remoteQuery overriding integrated_account_id / id / roles / workspace_id", async () => {
        const c = INTEGRATION_CASES[0];
        const other = SEED_IDS.accounts.jumpcloud;
        const victim = SEED_IDS.slackenterprise.users.erin;
        const remoteQuery = {
          integrated_account_id: other,
          id: victim,
          roles: [{ id: "Rl02" }],
          workspace_id: SEED_IDS.slackenterprise.workspaces.sales,
          "x&id=evil": "1",
          "y]": "broken",
          nested: { id: "evil", integrated_account_id: other },
        };
        const inputs: Props = { ...rig.engine.program(c.inputs(["Rl03"])), remoteQuery };
        const before = await rig.admin.state();
        // Straight to Create, as if check had not run: the client must hold the line on its own.
        const created = await rig.host.create(urn("rq2"), inputs);
        rig.watch.scan("create response", created);
        const log = (await rig.admin.requests()).filter((e) => e.path.startsWith("/unified/"));
        assert.ok(log.length > 0);
        for (const e of log) {
          assert.equal(e.integratedAccountId, c.accountId, `${e.method} ${e.path} went to the declared account`);
          const q = e.query as Record<string, any>;
          assert.equal(q.integrated_account_id, c.accountId);
          if (e.method === "POST") {
            assert.equal(q.id, c.userId);
            assert.equal(q.workspace_id, SEED_IDS.slackenterprise.workspaces.platform);
            assert.deepEqual(q.roles, [{ id: "Rl03" }]);
            assert.deepEqual(Object.keys(q.remote_query ?? {}).sort(), ["nested", "x&id=evil"], "reserved and bracket keys were dropped");
            assert.deepEqual(q.remote_query.nested, { id: "evil", integrated_account_id: other }, "nested keys stay nested");
          }
        }
        const after = await rig.admin.state();
        assert.equal(
          rolesOfOthers(after, c.accountId, c.userId),
          rolesOfOthers(before, c.accountId, c.userId),
          "no other user or account changed",
        );
        assert.deepEqual(sandboxGrants(after, { accountId: c.accountId, userId: c.userId }), [
          JSON.stringify(["Rl03", SEED_IDS.slackenterprise.workspaces.platform, ""]),
        ]);
        return "reserved and bracket keys dropped by the client; the rest stays under remote_query[...]; only the declared grant happened";
      }));
  });

  // Last: mocha runs a suite's own tests before its nested suites, so this check gets a suite of its own.
  describe("after every scenario above", () => {
    it("shows the token nowhere: __provider, inputs, outputs, error messages, partial failures, host output", () => rig.assertNoLeaks());
  });
});

/** Every request of one create carried the user and role ids as the same single value. */
function assertSameValues(log: LoggedRequest[], c: IntegrationCase, user: string, role: string): void {
  const api = log.filter((e) => e.path.startsWith("/unified/"));
  // A user's own reads; not Truto's description of a method (users/meta/…), which names no user.
  const reads = api.filter(
    (e) =>
      e.method === "GET" &&
      e.path.startsWith("/unified/user-directory/users/") &&
      !e.path.startsWith("/unified/user-directory/users/meta/"),
  );
  assert.ok(reads.length > 0, "the user was read back");
  for (const e of reads) {
    const segments = e.path.split("/");
    assert.equal(segments.length, 5, `${JSON.stringify(user)} stayed one path segment: ${e.path}`);
    assert.equal(decodeURIComponent(segments[4]), user);
  }
  const writes = api.filter((e) => e.method === "POST");
  assert.ok(writes.length > 0);
  for (const e of writes) {
    const q = e.query as Record<string, any>;
    const b = (e.body ?? {}) as Record<string, any>;
    assert.equal(q.integrated_account_id, c.accountId, "one account id, unchanged");
    assert.equal(q.id, user, "query id is the user, as one string");
    assert.equal(b.id, user, "body id is the user");
    assert.deepEqual(q.roles, [{ id: role }], "query roles hold the one role, unchanged");
    assert.deepEqual(b.roles, [{ id: role }], "body roles hold the one role, unchanged");
  }
}
