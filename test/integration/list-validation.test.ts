/**
 * List pages are validated item by item as they are read: a listing read to the end rejects a malformed item
 * wherever it is (naming where), and a scan that stops at its match (the last-holder guard's look) validates
 * only the items before it, so it no longer pays for a whole page of a hundred users to find the first one.
 */
import { strict as assert } from "node:assert";
import { TrutoClient } from "../../src/truto/client";
import { TrutoErrorCodes, isTrutoError } from "../../src/truto/errors";
import * as ud from "../../src/truto/user-directory";
import { json, useScriptedServer } from "../support/scripted-server";

const ACCOUNT = "acct-list-validation";
// Role ids as numbers: validation turns them into strings, which shows an item was validated.
const GOOD = (id: string) => ({ id, name: `User ${id}`, status: "active", roles: [{ id: 7 }] });
// `roles` must be an array: this item fails validation.
const MALFORMED = { id: "u-bad", name: "Bad", status: "active", roles: "admin" };

describe("list pages: items validated as they are read", function () {
  this.timeout(10_000);
  const server = useScriptedServer();
  let client: TrutoClient;

  beforeEach(() => {
    // Two pages: the malformed item is the second of the second page.
    server.answer = (req, res) => {
      const cursor = new URL(req.url, "http://x").searchParams.get("next_cursor");
      if (!cursor) return json(res, 200, { result: [GOOD("u1"), GOOD("u2")], next_cursor: "p2" });
      return json(res, 200, { result: [GOOD("u3"), MALFORMED], next_cursor: null });
    };
    client = new TrutoClient({ token: "scripted", baseUrl: server.url, rateLimit: false, readCacheMs: 0 });
  });

  it("a listing read to the end rejects a malformed item, naming the request and where in the page it is", async () => {
    await assert.rejects(ud.listUsers(client, ACCOUNT), (e: unknown) => {
      assert.ok(isTrutoError(e));
      assert.equal(e.code, TrutoErrorCodes.badResponse);
      assert.match(e.message, /result\.1\.roles/);
      assert.equal(e.path, "/unified/user-directory/users");
      assert.equal(e.integratedAccountId, ACCOUNT);
      return true;
    });
  });

  it("a scan that stops at its match reads and validates only up to it", async () => {
    const found = await ud.findUser(client, ACCOUNT, (u) => u.id === "u2");
    assert.equal(found?.id, "u2");
    assert.deepEqual(
      found?.roles.map((r) => r.id),
      ["7"],
      "the item found was validated",
    );
    assert.equal(server.seen.length, 1, "one page was enough");
    const onSecondPage = await ud.findUser(client, ACCOUNT, (u) => u.id === "u3");
    assert.equal(onSecondPage?.id, "u3", "found before the malformed item");
  });

  it("a scan that reaches the malformed item fails rather than skip it", async () => {
    await assert.rejects(
      ud.findUser(client, ACCOUNT, (u) => u.id === "nobody"),
      (e: unknown) => isTrutoError(e) && e.code === TrutoErrorCodes.badResponse && /result\.1\.roles/.test(e.message),
    );
  });
});
