/**
 * The per-process record of which live resource holds which grant: what counts as another resource's claim,
 * and that writes to one user run one at a time.
 */
import { strict as assert } from "node:assert";
import { claimedByOthers, claimUnchanged, exclusive, recordClaim, releaseClaim, resetClaims } from "../../src/provider/claims";
import { RULES } from "../../src/integrations/rules";

const ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";
const carol = { integratedAccountId: ACCOUNT, userId: "c1" };
const elastic = { ...carol, organizations: [{ id: "o1" }, { id: "o2" }] };
const held = (id: string) => claimedByOthers(id, carol).map((k) => `${k.grant.id}:${k.by.map((c) => c.name).join("+")}`);

describe("claims", () => {
  beforeEach(() => resetClaims());

  it("lists another resource's grants of the same user, never the resource's own", () => {
    recordClaim({ id: "old", name: "alice-jc" }, RULES.jumpcloud, carol, [{ id: "manager" }]);
    recordClaim({ id: "new", name: "alice-jumpcloud" }, RULES.jumpcloud, carol, [{ id: "manager" }]);
    assert.deepEqual(held("old"), ["manager:alice-jumpcloud"]);
    assert.deepEqual(claimedByOthers("new", { ...carol, userId: "someone-else" }), []);
    assert.equal(
      claimedByOthers("old", { ...carol, integratedAccountId: ACCOUNT.toUpperCase() }).length,
      1,
      "account ids compare without case",
    );
  });

  it("ignores claims older than the resource's own latest record (an earlier deployment in the same process)", () => {
    recordClaim({ id: "stale", name: "earlier-run" }, RULES.jumpcloud, carol, [{ id: "manager" }]);
    recordClaim({ id: "mine", name: "now" }, RULES.jumpcloud, carol, [{ id: "manager" }]);
    assert.deepEqual(held("mine"), []);
    assert.deepEqual(held("never-seen"), ["manager:earlier-run+now"], "a resource not seen in this process sees every claim");
  });

  it("spreads an Elastic role over the resource's organizations, and forgets a claim released or emptied", () => {
    recordClaim({ id: "a", name: "dan" }, RULES.elasticcloud, elastic, [{ id: "viewer" }]);
    assert.deepEqual(
      claimedByOthers("b", elastic).map((k) => k.grant.organization),
      ["o1", "o2"],
    );
    releaseClaim("a");
    assert.deepEqual(claimedByOthers("b", elastic), []);
    recordClaim({ id: "a", name: "dan" }, RULES.elasticcloud, elastic, []);
    assert.deepEqual(claimedByOthers("b", elastic), []);
  });

  it("records an unchanged resource from the state it keeps, named by its new inputs", () => {
    claimUnchanged(
      "x",
      { integration: "jumpcloud", integratedAccountId: ACCOUNT, userId: "c1", roles: [{ id: "help-desk" }] },
      { resourceName: "carol" },
    );
    assert.deepEqual(held("y"), ["help-desk:carol"]);
    claimUnchanged("z", { integration: "nope", integratedAccountId: ACCOUNT, userId: "c1", roles: [] }, {});
    assert.deepEqual(held("y"), ["help-desk:carol"]);
  });

  it("runs writes to one user one at a time, in the order they arrive, whatever the earlier ones end with", async () => {
    const order: string[] = [];
    const step =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<string>((resolve, reject) => setTimeout(() => (order.push(name), fail ? reject(new Error(name)) : resolve(name)), ms));
    const first = exclusive(carol, step("first", 30, true));
    const second = exclusive(carol, step("second", 1));
    const other = exclusive({ ...carol, userId: "d1" }, step("other user", 1));
    await assert.rejects(first);
    assert.equal(await second, "second");
    await other;
    assert.deepEqual(order, ["other user", "first", "second"]);
  });
});
