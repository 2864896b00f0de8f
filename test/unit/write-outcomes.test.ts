/**
 * The write-outcome policy on its own: which failed writes prove nothing happened, the reasons an error lists
 * (bounded, whatever the vendor sends), and the code a failure reports.
 */
import { strict as assert } from "node:assert";
import { TrutoError, TrutoErrorCodes } from "../../src/truto/errors";
import { bounded, clip, firstCode, MAX_ITEM_CHARS, MAX_LISTED, reasonFor, uncertain } from "../../src/provider/write-outcomes";

const manager = { id: "manager", name: "Manager" };
const refused = (code: (typeof TrutoErrorCodes)[keyof typeof TrutoErrorCodes]) => ({
  roles: [manager],
  error: new TrutoError(code, "refused."),
});

describe("write outcomes", () => {
  describe("uncertain: whether a write may have landed", () => {
    it("is false only when every write was refused outright", () => {
      for (const code of [
        TrutoErrorCodes.unauthorized,
        TrutoErrorCodes.forbidden,
        TrutoErrorCodes.validation,
        TrutoErrorCodes.conflict,
        TrutoErrorCodes.notFound,
      ]) {
        assert.equal(uncertain([refused(code)]), false, code);
      }
    });

    it("is true when one write succeeded, or failed in a way that leaves it unknown", () => {
      assert.equal(uncertain([{ roles: [manager] }]), true, "a success landed");
      for (const code of [
        TrutoErrorCodes.timeout,
        TrutoErrorCodes.server,
        TrutoErrorCodes.network,
        TrutoErrorCodes.badResponse,
        TrutoErrorCodes.rateLimited,
      ]) {
        assert.equal(uncertain([refused(TrutoErrorCodes.forbidden), refused(code)]), true, code);
      }
      assert.equal(uncertain([{ roles: [manager], error: new Error("socket hang up") }]), true, "an error that is not Truto's");
    });
  });

  it("names the role and the vendor's reason, or says the read-back disagreed", () => {
    assert.match(
      reasonFor("grant", manager, [refused(TrutoErrorCodes.forbidden)]),
      /^could not grant Manager \(manager\): \[TRUTO_FORBIDDEN\] Truto: refused\./,
    );
    assert.match(
      reasonFor("revoke", manager, [{ roles: [manager] }]),
      /^could not revoke Manager \(manager\): Truto reported success, but the role did not show up as gone when read back$/,
    );
  });

  it("lists at most MAX_LISTED items, each cut in the middle to MAX_ITEM_CHARS", () => {
    const items = Array.from({ length: MAX_LISTED + 5 }, (_, i) => `${i}:${"x".repeat(MAX_ITEM_CHARS * 2)}:end`);
    const shown = bounded(items);
    assert.equal(shown.length, MAX_LISTED + 1);
    assert.equal(shown[MAX_LISTED], "…and 5 more");
    for (const item of shown.slice(0, MAX_LISTED)) {
      assert.ok(item.length <= MAX_ITEM_CHARS + 60, `${item.length} characters`);
      assert.ok(item.endsWith(":end"), "the end of a message, which says what to do, is kept");
    }
    assert.equal(clip("short"), "short");
  });

  it("reports the first failure's code, or the fallback when no write failed", () => {
    assert.equal(
      firstCode([{ roles: [manager] }, refused(TrutoErrorCodes.forbidden)], TrutoErrorCodes.revokeNotConfirmed),
      TrutoErrorCodes.forbidden,
    );
    assert.equal(firstCode([{ roles: [manager] }], TrutoErrorCodes.revokeNotConfirmed), TrutoErrorCodes.revokeNotConfirmed);
  });
});
