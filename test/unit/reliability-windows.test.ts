import { strict as assert } from "node:assert";
import type { LoggedRequest } from "../../src/sandbox";
import { busiestWindow, busiestWindows, perAccount, perToken } from "../support/reliability/windows";

function entry(ms: number, integratedAccountId?: string): LoggedRequest {
  return { seq: ms, at: new Date(ms).toISOString(), method: "GET", path: "/x", query: {}, body: null, status: 200, integratedAccountId };
}

describe("reliability windows over the request log", () => {
  // a: 0, 400, 900, 1000 (1000 is a window after 0, so it does not share one with it); b: 500, 600; none: 700.
  const log = [entry(1000, "a"), entry(0, "a"), entry(400, "a"), entry(500, "b"), entry(900, "a"), entry(600, "b"), entry(700)];

  it("finds the busiest window per account, in any order of arrival, leaving out requests that name none", () => {
    assert.deepEqual([...busiestWindows(log, 1000, perAccount)].sort(), [
      ["a", 3],
      ["b", 2],
    ]);
  });

  it("counts every request, across accounts, in the token's window", () => {
    assert.equal(busiestWindow(log, 1000, perToken), 6, "400 to 1000 holds six requests");
    assert.equal(busiestWindow(log, 2000, perToken), 7);
    assert.equal(busiestWindow([], 1000, perToken), 0);
  });
});
