import { strict as assert } from "node:assert";
import { managedAssignments, StackExportError } from "../../src/audit/stack-state";

const TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

describe("audit: the RoleAssignments of a stack export", () => {
  it("reads active and expired roles from outputs, skips other types and resources pending deletion", () => {
    const outputs = {
      integratedAccountId: "a",
      integration: "slackenterprise",
      userId: "U1",
      workspaceId: "T1",
      roles: [{ id: "Rl0A" }, { id: "Rl0J" }],
      activeRoles: [{ id: "Rl0A" }],
      expiredRoles: [{ id: "Rl0J", expiredAt: "2026-01-01T00:00:00Z" }],
    };
    const { managed, unreadable } = managedAssignments(
      {
        deployment: {
          resources: [
            { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" },
            { urn: `urn:pulumi:s::p::${TYPE}::alice`, type: TYPE, outputs },
            { urn: `urn:pulumi:s::p::${TYPE}::old`, type: TYPE, outputs, delete: true },
          ],
        },
      },
      "stack.json",
    );
    assert.deepEqual(unreadable, []);
    assert.equal(managed.length, 1);
    assert.equal(managed[0]!.name, "alice");
    assert.deepEqual(managed[0]!.active, [{ id: "Rl0A" }]);
    assert.deepEqual(managed[0]!.expired, [{ id: "Rl0J" }]);
  });

  it("lists a RoleAssignment whose account id is secret as not audited, naming the field", () => {
    const { managed, unreadable } = managedAssignments(
      {
        deployment: {
          resources: [{ urn: "u", type: TYPE, outputs: { integratedAccountId: SECRET, integration: "jumpcloud", userId: "x", roles: [] } }],
        },
      },
      "stdin",
    );
    assert.equal(managed.length, 0);
    assert.match(unreadable[0]!.why, /integratedAccountId could not be read/);
  });

  it("refuses a document that is not a stack export", () => {
    assert.throws(
      () => managedAssignments({ steps: [] }, "preview.json"),
      (e: unknown) => e instanceof StackExportError && /preview\.json is not a stack export/.test(e.message),
    );
  });
});
