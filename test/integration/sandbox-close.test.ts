import { strict as assert } from "node:assert";
import { SEED_IDS, startSandbox } from "../../src/sandbox";
import { sandboxCall } from "../support/sandbox-fixture";

const USER = `/unified/user-directory/users/${SEED_IDS.jumpcloud.users.alice}?integrated_account_id=${SEED_IDS.accounts.jumpcloud}`;

describe("sandbox close", () => {
  it("ends keep-alive connections and requests held by a delay, and refuses new ones", async () => {
    const handle = await startSandbox();
    // undici's global dispatcher keeps this connection alive; close() must end it anyway.
    const warm = await sandboxCall(handle.url, handle.token, "GET", USER);
    assert.equal(warm.status, 200);
    await sandboxCall(handle.url, handle.token, "POST", "/_sandbox/faults", {
      body: { method: "GET", path: "/unified/*", count: 1, delayMs: 600_000 },
    });
    const held = sandboxCall(handle.url, handle.token, "GET", USER);
    const outcome = held.then(
      () => "answered",
      () => "failed",
    );
    // Wait until the held request has reached the sandbox (it is logged on arrival).
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const log = await sandboxCall(handle.url, handle.token, "GET", "/_sandbox/requests");
      if (log.body.requests.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await handle.close();
    assert.equal(await outcome, "failed", "the held request was cut off, not left hanging");
    await assert.rejects(sandboxCall(handle.url, handle.token, "GET", USER));
    await handle.close(); // a second close is harmless
  });

  it("delays every API response by latencyMs but not admin calls", async () => {
    const handle = await startSandbox({ latencyMs: 1500 });
    try {
      const pending = sandboxCall(handle.url, handle.token, "GET", USER);
      let entry;
      for (let attempt = 0; attempt < 100 && !entry; attempt += 1) {
        const log = await sandboxCall(handle.url, handle.token, "GET", "/_sandbox/requests");
        entry = log.body.requests[0];
        if (!entry) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(entry, "the request reached the sandbox while admin calls were answered");
      assert.equal(entry.status, null, "held by the latency");
      assert.equal((await pending).status, 200);
    } finally {
      await handle.close();
    }
  });
});
