/**
 * The RoleAssignment class under `pulumi.runtime.setMocks`: what a program registers, what gets
 * serialized into `__provider`, and the conflict check between resources of one program.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment, resetConflictRegistry } from "../../src/resource";

const SLACK = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01";
const ELASTIC = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03";
const JUMPCLOUD = "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02";
const TOKEN = "tok_resource_test_0123456789abcdefghij";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

function settle<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    // Output.apply swallows nothing: a rejected input rejects here.
    (o as unknown as { promise(): Promise<T> }).promise().then(resolve, reject);
  });
}

describe("RoleAssignment (setMocks)", () => {
  let registered: Registered[];
  const previousToken = process.env.TRUTO_API_TOKEN;

  before(() => {
    process.env.TRUTO_API_TOKEN = TOKEN;
  });
  after(() => {
    if (previousToken === undefined) delete process.env.TRUTO_API_TOKEN;
    else process.env.TRUTO_API_TOKEN = previousToken;
  });

  beforeEach(() => {
    registered = [];
    resetConflictRegistry();
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          return { id: `${args.name}-id`, state: { ...args.inputs, assignmentId: `${args.name}-id`, heldRoles: args.inputs.roles } };
        },
        call: () => ({}),
      },
      "truto-access-test",
      "dev",
      false,
    );
  });

  const slack = (roles: { id: string; name?: string }[], userId = "U01ALICE") => ({
    integratedAccountId: SLACK,
    integration: "slackenterprise" as const,
    userId,
    workspaceId: "T0PLATFORM",
    roles,
  });

  it("registers the type token pulumi-nodejs:dynamic/truto:RoleAssignment with the inputs", async () => {
    const r = new RoleAssignment("alice-slack", slack([{ id: "Rl0A" }, { id: "Rl03", name: "User Admin" }]));
    await settle(r.urn);
    assert.equal(registered.length, 1);
    assert.equal(registered[0].type, "pulumi-nodejs:dynamic/truto:RoleAssignment");
    const inputs = registered[0].inputs;
    assert.equal(inputs.userId, "U01ALICE");
    assert.deepEqual(inputs.roles, [{ id: "Rl0A" }, { id: "Rl03", name: "User Admin" }]);
    assert.deepEqual(await settle(r.heldRoles), [{ id: "Rl0A" }, { id: "Rl03", name: "User Admin" }]);
    assert.equal(await settle(r.assignmentId), "alice-slack-id");
  });

  it("serializes a small provider shim: identical per resource, under 2,560 bytes, no token, no deep requires", async () => {
    const a = new RoleAssignment("a", slack([{ id: "Rl0A" }]));
    const b = new RoleAssignment("b", {
      integratedAccountId: ELASTIC,
      integration: "elasticcloud",
      userId: "1183940201",
      organizations: [{ id: "4201839311" }],
      roles: [{ id: "deployment-viewer" }],
    });
    await Promise.all([settle(a.urn), settle(b.urn)]);
    const [pa, pb] = registered.map((r) => r.inputs.__provider as string);
    assert.equal(typeof pa, "string");
    assert.equal(pa, pb, "one text for every resource");
    assert.ok(Buffer.byteLength(pa) <= 2_560, `__provider is ${Buffer.byteLength(pa)} bytes`);
    assert.ok(!pa.includes(TOKEN), "no token in __provider");
    assert.ok(!/process\.env/.test(pa), "no environment read captured");
    assert.match(pa, /require\("pulumi-truto-access\/provider"\)/);
    assert.ok(!/require\("[^"]*\/lib\//.test(pa), "no deep package paths");
    for (const r of registered) assert.ok(!JSON.stringify(r.inputs).includes(TOKEN), "no token in any input");
  });

  it("fails at registration when two resources claim the same Slack role, naming both", () => {
    new RoleAssignment("first", slack([{ id: "Rl0A" }, { id: "Rl03" }]));
    assert.throws(
      () => new RoleAssignment("second", slack([{ id: "Rl03" }])),
      (e: Error) => /"second"/.test(e.message) && /"first"/.test(e.message) && /Rl03/.test(e.message),
    );
  });

  it("allows disjoint roles, other users and other workspaces", () => {
    new RoleAssignment("one", slack([{ id: "Rl0A" }]));
    new RoleAssignment("two", slack([{ id: "Rl03" }]));
    new RoleAssignment("three", slack([{ id: "Rl0A" }], "U02BOB"));
    new RoleAssignment("four", { ...slack([{ id: "Rl0A" }]), workspaceId: "T0SALES" });
  });

  it("treats roles equal on the key the read-back can confirm as one claim (JumpCloud reports no groups)", () => {
    const jumpcloud = (name: string, role: { id: string; group?: string }) =>
      new RoleAssignment(name, {
        integratedAccountId: JUMPCLOUD,
        integration: "jumpcloud",
        userId: "64a1f0c2e4b0a1a1a1a1a003",
        roles: [role],
      });
    jumpcloud("plain", { id: "manager" });
    assert.throws(
      () => jumpcloud("grouped", { id: "manager", group: "g" }),
      (e: Error) => /"grouped" and RoleAssignment "plain" both claim role "manager" of user/.test(e.message),
    );
    jumpcloud("other", { id: "help-desk", group: "g" });
  });

  it("treats one Elastic Cloud user and organization as one claim, whatever the roles", () => {
    const elastic = (name: string, roleId: string, org = "4201839311") =>
      new RoleAssignment(name, {
        integratedAccountId: ELASTIC,
        integration: "elasticcloud",
        userId: "1183940201",
        organizations: [{ id: org }],
        roles: [{ id: roleId }],
      });
    elastic("viewer", "deployment-viewer");
    assert.throws(() => elastic("editor", "deployment-editor"), /"editor".*"viewer"|"viewer".*"editor"/);
    elastic("staging", "deployment-editor", "4201839312");
  });

  it("checks conflicts of values known only later, failing the registration", async () => {
    new RoleAssignment("known", slack([{ id: "Rl0J" }]));
    const late = new RoleAssignment("late", { ...slack([{ id: "Rl0J" }]), userId: pulumi.output("U01ALICE") });
    await assert.rejects(settle(late.roles), /"late" and RoleAssignment "known" both claim/);
  });
});
