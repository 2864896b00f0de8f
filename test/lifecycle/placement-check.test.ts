/**
 * The placement table checked against Truto's meta endpoint, through the real provider host: the sandbox
 * describes its integrations from its own model (it never imports the client's table), so agreement here is
 * a cross-check of the two; an override makes Truto disagree, or say nothing.
 */
import { strict as assert } from "node:assert";
import { placementProblems } from "../../src/integrations/placement-check";
import { INTEGRATIONS, RULES } from "../../src/integrations/rules";
import { SEED_IDS } from "../../src/sandbox";
import { TrutoClient } from "../../src/truto/client";
import { methodMeta } from "../../src/truto/method-meta";
import { urn } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { hostFailure } from "../support/truto-assertions";

const acct = SEED_IDS.accounts;
const jumpcloud = {
  integratedAccountId: acct.jumpcloud,
  integration: "jumpcloud",
  userId: SEED_IDS.jumpcloud.users.carol,
  roles: [{ id: "read-only" }],
};
const UNASSIGN = "/unified/user-directory/users/unassign-role";

describe("placement table against Truto's meta endpoint", function () {
  this.timeout(60_000);

  describe("as the sandbox describes its integrations", () => {
    const sandbox = useSandbox({ rateLimit: false });

    it("agrees with the table on every row, for both methods", async () => {
      const client = new TrutoClient({ token: sandbox.token, baseUrl: sandbox.url, rateLimit: false });
      for (const slug of INTEGRATIONS) {
        for (const method of ["assign-role", "unassign-role"] as const) {
          const answer = await methodMeta(client, slug, method, acct[slug]);
          assert.equal(answer.kind, "described", `${slug} ${method}: ${JSON.stringify(answer)}`);
          if (answer.kind === "described")
            assert.deepEqual(placementProblems(RULES[slug], method, answer.description), [], `${slug} ${method}`);
        }
      }
    });
  });

  describe("when Truto's description disagrees", () => {
    const sandbox = useSandbox({ rateLimit: false });
    const provider = useProviderHost(sandbox);

    it("refuses the destroy before any revoke, naming the field, both places and the row, and keeps state", async () => {
      const inputs = await provider.checked("carol", jumpcloud);
      const made = await provider.host.create(urn("carol"), inputs);
      // JumpCloud's unassign-role takes roles in the body (the seed page); this description says the query.
      await sandbox.admin.overrideMeta("jumpcloud", "unassign-role", {
        query_schema: { type: "object", properties: { id: {}, roles: {} }, required: ["roles"] },
        request_body_schema: { type: "object", properties: { id: {} } },
      });
      await sandbox.admin.clearRequests();
      const e = await hostFailure(provider.host.delete(made.id, urn("carol"), made.outputs));
      assert.match(e.message, /TRUTO_PLACEMENT_MISMATCH/);
      assert.match(
        e.message,
        /`roles`: the placement table's jumpcloud row \(src\/integrations\/rules\.ts\) sends it in the request body, but Truto's unassign-role schema has it only in the query string/,
      );
      assert.match(e.message, /Nothing was written/);
      const log = await sandbox.admin.requests();
      assert.ok(!log.some((r) => r.path === UNASSIGN), "no revoke was sent");
      assert.ok(
        log.some((r) => r.path === "/unified/user-directory/users/meta/unassign-role"),
        "Truto was asked",
      );
    });
  });

  describe("when Truto does not describe the method", () => {
    const sandbox = useSandbox({ rateLimit: false });
    const provider = useProviderHost(sandbox, 400, { TRUTO_DEBUG: "1" });

    it("lets the table stand, says so once with TRUTO_DEBUG=1, and asks once per process", async () => {
      await sandbox.admin.overrideMeta("jumpcloud", "assign-role", { absent: true });
      for (const name of ["one", "two"]) {
        const made = await provider.host.create(
          urn(name),
          await provider.checked(name, { ...jumpcloud, userId: name === "one" ? jumpcloud.userId : SEED_IDS.jumpcloud.users.bob }),
        );
        assert.ok(made.id);
      }
      const said = provider.host.output().match(/meta endpoint does not describe assign-role for JumpCloud/g) ?? [];
      assert.equal(said.length, 1, provider.host.output());
      const asked = (await sandbox.admin.requests()).filter((r) => r.path === "/unified/user-directory/users/meta/assign-role");
      assert.equal(asked.length, 1);
    });
  });
});
