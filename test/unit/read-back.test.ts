/**
 * Reading back after a write, with a fake client: a user briefly invisible right after a write is not taken
 * as gone, and a write that may have landed is recorded, never dropped, when the read-back cannot confirm it.
 */
import { strict as assert } from "node:assert";
import { RULES } from "../../src/integrations/rules";
import { PartialFailure } from "../../src/provider/write-outcomes";
import { readBack, settle } from "../../src/provider/read-back";
import type { TrutoClient } from "../../src/truto/client";
import { TrutoError, TrutoErrorCodes } from "../../src/truto/errors";

const rule = RULES.jumpcloud;
const req = { integratedAccountId: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02", userId: "u1" };
const user = (roles: string[]) => ({ id: "u1", name: "Carol", emails: [], roles: roles.map((id) => ({ id })) });
const gone = () => new TrutoError(TrutoErrorCodes.notFound, "no such user.", { status: 404, remote: true });

/** A client whose `GET users/{id}` answers `answers` in turn (the last one repeats); `reads` counts them. */
function fakeClient(answers: (object | Error)[]): TrutoClient & { reads: number } {
  const fake = {
    baseUrl: "http://fake.invalid",
    reads: 0,
    async call(_req: unknown, schema: { parse(v: unknown): unknown }) {
      const answer = answers[Math.min(fake.reads++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return schema.parse(answer);
    },
  };
  return fake as unknown as TrutoClient & { reads: number };
}

describe("read-back", () => {
  it("settle: reads until the write shows, and returns that reading", async () => {
    const client = fakeClient([user([]), user([]), user(["manager"])]);
    const holding = await settle({ client, settleMs: 5_000 }, rule, req, (h) => h.held.some((g) => g.id === "manager"));
    assert.deepEqual(holding.held, [{ id: "manager" }]);
    assert.equal(client.reads, 3);
  });

  it("settle: a user not found right after a write is read again, not believed at once", async () => {
    const client = fakeClient([gone(), user(["manager"])]);
    const holding = await settle({ client, settleMs: 5_000 }, rule, req, (h) => h.held.length > 0);
    assert.equal(holding.user?.id, "u1");
    assert.equal(client.reads, 2);
  });

  it("readBack: a user still not found after a write that may have landed is a partial failure, recorded", async () => {
    const client = fakeClient([gone()]);
    const record = () => ({ id: "a1", properties: { roles: [{ id: "manager" }] } });
    await assert.rejects(
      readBack({ client, settleMs: 200 }, rule, req, () => true, [{ roles: [{ id: "manager" }] }], record, "granting"),
      (e: unknown) =>
        e instanceof PartialFailure &&
        e.id === "a1" &&
        /not taken as gone/.test(e.message) &&
        (e.properties.roles as unknown[]).length === 1,
    );
    assert.ok(client.reads >= 2, "read at least twice through the window");
  });

  it("readBack: when every write was refused outright, a user not found is gone, and nothing is recorded", async () => {
    const client = fakeClient([gone()]);
    const refused = [{ roles: [{ id: "manager" }], error: new TrutoError(TrutoErrorCodes.forbidden, "no.") }];
    const holding = await readBack(
      { client, settleMs: 200 },
      rule,
      req,
      () => true,
      refused,
      () => assert.fail("nothing to record"),
      "granting",
    );
    assert.equal(holding.user, null);
  });
});
