/**
 * The Slack `role_ids` filter is inferred, so it is trusted only once it has been seen to work: a vendor (or Truto)
 * that misreads it must never make a role read as held by nobody. A scripted server plays Slack Enterprise behind
 * Truto with a filter that works, one that matches nothing, and one that reads only the first id.
 */
import { strict as assert } from "node:assert";
import { RULES } from "../../src/integrations/rules";
import { TrutoClient } from "../../src/truto/client";
import * as ud from "../../src/truto/user-directory";
import { json, useScriptedServer, type Seen } from "../support/scripted-server";

const ROWS = [
  { id: "1", user_id: "U1", role_id: "Rl01", workspace: ["T1"] },
  { id: "2", user_id: "U2", role_id: "Rl01", workspace: ["T1"] },
  { id: "3", user_id: "U1", role_id: "Rl0D", workspace: ["T1"] },
  { id: "4", user_id: "U3", role_id: "Rl0D", workspace: ["T1"] },
];

type Filter = (ids: string[]) => (row: (typeof ROWS)[number]) => boolean;
const HONOURED: Filter = (ids) => (row) => ids.includes(row.role_id);
const MATCHES_NOTHING: Filter = () => () => false;
const FIRST_ID_ONLY: Filter = (ids) => (row) => row.role_id === ids[0];

describe("Slack role_ids filter: trusted only once seen to work", function () {
  this.timeout(10_000);
  const server = useScriptedServer();
  let account = 0;

  /** A client and scope on an account of its own (trust is kept per workspace, per process). */
  function setUp(filter: Filter) {
    server.answer = (req: Seen, res) => {
      const url = new URL(req.url, "http://x");
      if (url.pathname.endsWith("/role_assignments")) {
        const ids = url.searchParams.get("remote_query[role_ids]");
        return json(res, 200, { result: ids ? ROWS.filter(filter(ids.split(","))) : ROWS, next_cursor: null });
      }
      return json(res, 200, { id: "U1", name: "One", status: "active", roles: [] });
    };
    const client = new TrutoClient({ token: "scripted", baseUrl: server.url, rateLimit: false, readCacheMs: 0 });
    const scope = { integratedAccountId: `acct-filter-${++account}`, userId: "U1", workspaceId: "T1" };
    const read = () => ud.readHolding(client, RULES.slackenterprise, scope, true, { roles: ["Rl01", "Rl0D"] });
    const filters = () =>
      server.seen
        .filter((s) => s.url.includes("/role_assignments"))
        .map((s) => new URL(s.url, "http://x").searchParams.get("remote_query[role_ids]"));
    return { read, filters };
  }

  it("a filter that works: after one test against a whole listing, listings are narrowed", async () => {
    const { read, filters } = setUp(HONOURED);
    assert.deepEqual((await read()).held.map((g) => g.id).sort(), ["Rl01", "Rl0D"]);
    assert.deepEqual(filters(), [null, "Rl01,Rl0D"], "a whole listing, then the narrowed one it is tested against");
    assert.deepEqual((await read()).held.map((g) => g.id).sort(), ["Rl01", "Rl0D"]);
    assert.deepEqual(filters().slice(2), ["Rl01,Rl0D"], "trusted: narrowed only");
  });

  for (const [what, filter] of [
    ["matches nothing", MATCHES_NOTHING],
    ["reads only the first id", FIRST_ID_ONLY],
  ] as const) {
    it(`a filter that ${what} is never trusted: every answer comes from a whole listing`, async () => {
      const { read, filters } = setUp(filter);
      for (let k = 0; k < ud.FILTER_TESTS + 2; k++)
        assert.deepEqual((await read()).held.map((g) => g.id).sort(), ["Rl01", "Rl0D"], `read ${k + 1}: both roles held`);
      const seen = filters();
      assert.equal(seen.filter((f) => f === null).length, ud.FILTER_TESTS + 2, "every read had a whole listing");
      assert.equal(seen.filter((f) => f !== null).length, ud.FILTER_TESTS, "and the filter was tested a bounded number of times");
    });
  }
});
