/**
 * The engine model (tools/engine/deployment.ts) over the real provider host, started in the repository as
 * the demo starts it, against the sandbox, judged by the sandbox's state and request log: one test per rule
 * the model has. Each names the scenario in test/e2e (engine-model.test.ts, scenarios.test.ts, examples.test.ts
 * or moves.test.ts) that shows the real Pulumi CLI v3.276.0 doing the same.
 */
import { strict as assert } from "node:assert";
import {
  DeploymentError,
  destroy,
  Engine,
  nameOf,
  newStackState,
  preview,
  refresh,
  up,
  type StackState,
  type Step,
} from "../../tools/engine/deployment";
import { startHost, type Host } from "../../tools/engine/host";
import { packageRoot } from "../../tools/engine/package-root";
import { urn } from "../../tools/engine/urn";
import type { RegisteredResource } from "../../tools/engine/program";
import { roleAssignmentProvider } from "../../src/provider/shim";
import { SEED_IDS, type SandboxState } from "../../src/sandbox";
import { serializeProvider } from "../support/pulumi-values";
import { useSandbox } from "../support/sandbox-fixture";

const TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";
const PROJECT = "truto-engine-test";
const ASSIGN = "/unified/user-directory/users/assign-role";
const UNASSIGN = "/unified/user-directory/users/unassign-role";
const { accounts } = SEED_IDS;
const slack = SEED_IDS.slackenterprise;
const jumpcloud = SEED_IDS.jumpcloud;
const elastic = SEED_IDS.elasticcloud;

describe("engine deployment (up, preview, refresh, destroy) through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  let host: Host;
  let engine: Engine;
  let providerText: string;
  let state: StackState;
  let steps: Step[];

  before(async () => {
    providerText = await serializeProvider(roleAssignmentProvider);
    host = await startHost({
      cwd: packageRoot(),
      project: PROJECT,
      env: {
        TRUTO_API_TOKEN: sandbox.token,
        TRUTO_BASE_URL: sandbox.url,
        TRUTO_SETTLE_MS: "400",
        TRUTO_RATE_LIMIT: "off",
        TRUTO_READ_CACHE_MS: "0",
      },
    });
    await host.configure({});
    // One step at a time, so the order of the steps is the order the rules give.
    engine = new Engine(host, { parallel: 1 });
  });
  after(async () => {
    await host?.kill();
  });
  beforeEach(() => {
    state = newStackState();
    steps = [];
  });

  const resource = (name: string, inputs: Record<string, unknown>): RegisteredResource => ({
    type: TYPE,
    name,
    urn: urn(name, TYPE, "dev", PROJECT),
    inputs: { ...inputs, __provider: providerText },
  });
  const slackRoles = (name: string, userId: string, roles: string[], workspaceId: string = slack.workspaces.platform) =>
    resource(name, {
      integratedAccountId: accounts.slackenterprise,
      integration: "slackenterprise",
      userId,
      workspaceId,
      roles: roles.map((id) => ({ id })),
    });
  const jumpcloudRoles = (name: string, userId: string, roles: string[]) =>
    resource(name, { integratedAccountId: accounts.jumpcloud, integration: "jumpcloud", userId, roles: roles.map((id) => ({ id })) });
  const elasticRoles = (name: string, userId: string, organizations: string[], roles: string[]) =>
    resource(name, {
      integratedAccountId: accounts.elasticcloud,
      integration: "elasticcloud",
      userId,
      organizations: organizations.map((id) => ({ id })),
      roles: roles.map((id) => ({ id })),
    });
  const record = { onStep: (s: Step) => void steps.push(s) };
  const ops = () => steps.map((s) => `${s.op} ${s.name}`);
  const entry = (r: RegisteredResource) => state.resources.get(r.urn);
  const forbidden = (path: string, count: number) =>
    sandbox.admin.faults({
      method: "POST",
      path,
      count,
      status: 403,
      body: { statusCode: 403, error: "Forbidden", message: "Missing scope: users:write." },
    });

  async function held(accountId: string, userId: string): Promise<string[]> {
    const user = (await sandbox.admin.state()).users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) => [r.id, r.workspace ?? r.organization].filter(Boolean).join("@")).sort();
  }
  async function writes(): Promise<string[]> {
    return (await sandbox.admin.requests())
      .filter((r) => r.method === "POST" && /assign-role$/.test(r.path))
      .map((r) => r.path.split("/").pop()!);
  }
  async function editSandbox(edit: (s: SandboxState) => void): Promise<void> {
    const s = await sandbox.admin.state();
    edit(s);
    await sandbox.admin.putState(s);
  }

  // e2e: examples.test.ts, "up grants exactly the declared roles, and a second preview shows no changes".
  it("creates each resource, then a second up with the same program changes nothing", async () => {
    const program = [
      slackRoles("bob", slack.users.bob, ["Rl03"]),
      elasticRoles("dan", elastic.users.dan, [elastic.organizations.production], ["deployment-viewer"]),
    ];
    await up(engine, state, program, record);
    assert.deepEqual(ops(), ["create bob", "create dan"]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl03@${slack.workspaces.platform}`]);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), [`deployment-viewer@${elastic.organizations.production}`]);
    assert.equal(state.resources.size, 2);
    assert.equal(typeof entry(program[0])!.outputs.__provider, "string");

    steps = [];
    await sandbox.admin.clearRequests();
    await up(engine, state, program, record);
    assert.deepEqual(ops(), ["same bob", "same dan"]);
    assert.deepEqual(await writes(), []);
  });

  // e2e: examples.test.ts, "a role change through stack config previews as an update the review names, then applies".
  it("previews an update with Check and Diff only, then up applies it in place", async () => {
    await up(engine, state, [slackRoles("bob", slack.users.bob, ["Rl03"])]);
    const id = entry(slackRoles("bob", "", []))!.id;
    await sandbox.admin.clearRequests();
    const changed = [slackRoles("bob", slack.users.bob, ["Rl0J"])];
    assert.deepEqual(await preview(engine, state, changed), [{ op: "update", urn: changed[0].urn, name: "bob", changed: ["roles"] }]);
    assert.deepEqual(await writes(), [], "preview wrote to the app");
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl03@${slack.workspaces.platform}`]);

    await up(engine, state, changed, record);
    assert.deepEqual(ops(), ["update bob"]);
    assert.deepEqual(steps[0].changed, ["roles"]);
    assert.equal(entry(changed[0])!.id, id, "an update keeps the id");
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl0J@${slack.workspaces.platform}`]);
  });

  // e2e: scenarios.test.ts, "replacement › a userId change creates the new assignment before revoking the old one".
  it("replaces create-before-delete when the user changes: the replacement is created, the old one deleted at the end", async () => {
    await up(engine, state, [slackRoles("admin", slack.users.bob, ["Rl0J"])]);
    await sandbox.admin.clearRequests();
    await up(engine, state, [slackRoles("admin", slack.users.carol, ["Rl0J"]), slackRoles("erin", slack.users.erin, ["Rl0C"])], record);
    assert.deepEqual(ops(), ["replace admin", "create erin", "delete-replaced admin"], "the replaced one goes after every create");
    assert.equal(steps[0].deleteBeforeReplace, false);
    assert.deepEqual(steps[0].changed, ["userId"]);
    assert.deepEqual(await writes(), ["assign-role", "assign-role", "unassign-role"]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.carol), [`Rl0J@${slack.workspaces.platform}`]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), []);
    assert.deepEqual(state.pendingDeletes, []);
  });

  // e2e: scenarios.test.ts, "replacement › an overlapping change (Elastic organizations widened) revokes the old assignment first".
  it("replaces delete-before-replace when Diff says the replacement overlaps: the old one is deleted, then the new one created", async () => {
    const { production, staging } = elastic.organizations;
    await up(engine, state, [elasticRoles("dan", elastic.users.dan, [production], ["deployment-viewer"])]);
    await sandbox.admin.clearRequests();
    const widened = [elasticRoles("dan", elastic.users.dan, [production, staging], ["deployment-viewer"])];
    assert.deepEqual(
      (await preview(engine, state, widened)).map((s) => [s.op, s.deleteBeforeReplace]),
      [["replace", true]],
    );
    await up(engine, state, widened, record);
    assert.deepEqual(ops(), ["delete-replaced dan", "replace dan"]);
    assert.deepEqual(steps[1].changed, ["organizations"]);
    assert.deepEqual(await writes(), ["unassign-role", "assign-role"]);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), [
      `deployment-viewer@${production}`,
      `deployment-viewer@${staging}`,
    ]);
    assert.equal(state.resources.size, 1);
  });

  // e2e: scenarios.test.ts, "partial failure › a create that grants one role of two is recorded with what is held,
  // and the next up converges through an Update".
  it("records a partial create with initErrors, and the next up with the same inputs runs an Update that clears them", async () => {
    const program = [slackRoles("bob", slack.users.bob, ["Rl03", "Rl0J"])];
    // Slack takes one role per request: the first grant is refused, the second lands.
    await forbidden(ASSIGN, 1);
    const failed = await up(engine, state, program, record).catch((e: unknown) => e);
    assert.ok(failed instanceof DeploymentError, String(failed));
    assert.match(failed.message, /^create of bob failed: .*granted 1 of 2 roles/);
    assert.deepEqual(ops(), ["create bob"]);
    assert.equal(steps[0].kind, "partial");
    const recorded = entry(program[0])!;
    assert.ok(recorded, "the resource is in state although its create failed");
    assert.equal(recorded.initErrors?.length, 1);
    assert.deepEqual(
      (recorded.outputs.heldRoles as { id: string }[]).map((r) => r.id),
      ["Rl0J"],
    );
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl0J@${slack.workspaces.platform}`]);

    // Diff alone finds nothing to do (the inputs are the ones recorded): the init errors are why it is an Update.
    const diff = await host.diff(recorded.id, recorded.urn, recorded.outputs, recorded.inputs, recorded.inputs);
    assert.equal(diff.changes, "none");
    assert.deepEqual(
      (await preview(engine, state, program)).map((s) => s.op),
      ["update"],
    );
    steps = [];
    await sandbox.admin.clearRequests();
    await up(engine, state, program, record);
    assert.deepEqual(ops(), ["update bob"]);
    assert.equal(entry(program[0])!.initErrors, undefined, "a successful update clears the init errors");
    assert.deepEqual(await writes(), ["assign-role"], "only the missing role is granted");
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [
      `Rl03@${slack.workspaces.platform}`,
      `Rl0J@${slack.workspaces.platform}`,
    ]);

    steps = [];
    await up(engine, state, program, record);
    assert.deepEqual(ops(), ["same bob"]);
  });

  // e2e: engine-model.test.ts, "partial failure of an update › an update that fails on some roles keeps the old inputs ...".
  it("records a partial update with the old inputs, the failure's properties and initErrors; the next up converges", async () => {
    const before = [jumpcloudRoles("carol", jumpcloud.users.carol, ["manager", "help-desk"])];
    await up(engine, state, before);
    const old = entry(before[0])!;
    await forbidden(UNASSIGN, 100);
    const after = [jumpcloudRoles("carol", jumpcloud.users.carol, ["manager", "read-only"])];
    await assert.rejects(
      up(engine, state, after, record),
      (e: unknown) => e instanceof DeploymentError && /^update of carol failed: .*could not revoke/.test(e.message),
    );
    const recorded = entry(after[0])!;
    assert.equal(steps[0].kind, "partial");
    assert.equal(recorded.id, old.id);
    // The real engine keeps the old inputs of a partially failed update (engine/update.go, OnResourceStepPost).
    assert.deepEqual(
      (recorded.inputs.roles as { id: string }[]).map((r) => r.id).sort(),
      ["help-desk", "manager"],
      "the old inputs are kept",
    );
    assert.deepEqual(
      (recorded.outputs.heldRoles as { id: string }[]).map((r) => r.id).sort(),
      ["help-desk", "manager", "read-only"],
      "with what is really held",
    );
    assert.ok((recorded.initErrors?.length ?? 0) > 0);

    assert.deepEqual(
      (await preview(engine, state, after)).map((s) => [s.op, s.changed]),
      [["update", ["roles"]]],
      "Diff still sees the change",
    );

    await sandbox.admin.clearFaults();
    steps = [];
    await up(engine, state, after, record);
    assert.deepEqual(ops(), ["update carol"]);
    assert.equal(entry(after[0])!.initErrors, undefined);
    assert.deepEqual(await held(accounts.jumpcloud, jumpcloud.users.carol), ["manager", "read-only"]);
  });

  // e2e: moves.test.ts, "moves › a rename without aliases keeps the access, ...": the old name, gone from the program,
  // is deleted after the new one is created (its delete says the new name holds the role).
  it("deletes a resource that left the program at the end, after the program's creates and updates", async () => {
    await up(engine, state, [slackRoles("bob", slack.users.bob, ["Rl03"]), slackRoles("dan", slack.users.dan, ["Rl0C"])]);
    await up(engine, state, [slackRoles("bob", slack.users.bob, ["Rl0J"]), slackRoles("erin", slack.users.erin, ["Rl0C"])], record);
    assert.deepEqual(ops(), ["update bob", "create erin", "delete dan"]);
    assert.deepEqual(
      [...state.resources.values()].map((e) => nameOf(e.urn)),
      ["bob", "erin"],
    );
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.dan), []);
  });

  // e2e: engine-model.test.ts, "a failed step › with --parallel 1, no step starts after it, and the resource that
  // left the program is not deleted"; and scenarios.test.ts, "drift › the user deleted out of band: ..." (a plain
  // create failure records nothing).
  it("stops at a failed step: nothing after it starts, nothing is deleted at the end, and a plain create failure records nothing", async () => {
    await up(engine, state, [slackRoles("dan", slack.users.dan, ["Rl0C"])]);
    await editSandbox((s) => void (s.users = s.users.filter((u) => !(u.accountId === accounts.jumpcloud && u.id === jumpcloud.users.bob))));
    const program = [jumpcloudRoles("bob", jumpcloud.users.bob, ["manager"]), slackRoles("erin", slack.users.erin, ["Rl0C"])];
    await assert.rejects(up(engine, state, program, record), /DeploymentError: create of bob failed: .*does not exist/);
    assert.deepEqual(ops(), ["create bob"]);
    assert.deepEqual(
      [...state.resources.values()].map((e) => nameOf(e.urn)),
      ["dan"],
      "dan is not deleted, erin not created, bob not recorded",
    );
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.dan), [`Rl0C@${slack.workspaces.platform}`]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.erin), []);
  });

  // e2e: examples.test.ts, "destroy revokes every role the stack granted and leaves the access people held before it".
  // The real engine deletes resources that do not depend on each other in parallel, in no set order; the model's
  // newest-first is its own choice for --parallel 1, and no scenario depends on it.
  it("destroys everything, newest first, and leaves nothing held", async () => {
    await up(engine, state, [
      slackRoles("bob", slack.users.bob, ["Rl03"]),
      elasticRoles("dan", elastic.users.dan, [elastic.organizations.staging], ["deployment-admin"]),
    ]);
    await destroy(engine, state, record);
    assert.deepEqual(ops(), ["delete dan", "delete bob"]);
    assert.equal(state.resources.size, 0);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), []);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), []);
  });

  // e2e: scenarios.test.ts, "destroy that cannot be confirmed › fails and keeps the resource in state while
  // unassign-role is refused; a later destroy succeeds".
  it("keeps a resource whose Delete failed in state and fails the destroy; the one deleted is gone, and a later destroy finishes", async () => {
    const program = [jumpcloudRoles("carol", jumpcloud.users.carol, ["manager"]), jumpcloudRoles("dan", jumpcloud.users.dan, ["manager"])];
    await up(engine, state, program);
    // Both deletes run at once; the first revoke to arrive is refused.
    await forbidden(UNASSIGN, 1);
    const failed = await destroy(engine, state, { ...record, parallel: 2 }).catch((e: unknown) => e);
    assert.ok(failed instanceof DeploymentError, String(failed));
    assert.match(failed.message, /^delete of (carol|dan) failed: .*still holds/);
    const kept = failed.step.name;
    const deleted = kept === "carol" ? "dan" : "carol";
    assert.deepEqual(
      [...state.resources.values()].map((e) => nameOf(e.urn)),
      [kept],
    );
    assert.deepEqual(await held(accounts.jumpcloud, jumpcloud.users[kept as "carol" | "dan"]), ["manager"]);
    assert.deepEqual(await held(accounts.jumpcloud, jumpcloud.users[deleted as "carol" | "dan"]), []);

    steps = [];
    await destroy(engine, state, record);
    assert.deepEqual(ops(), [`delete ${kept}`]);
    assert.equal(state.resources.size, 0);
  });

  // e2e: engine-model.test.ts, "a replaced resource whose delete failed › stays in state as a pending delete ...".
  it("keeps a replaced resource whose delete failed as a pending delete, and deletes it with the next up's deletes at the end", async () => {
    await up(engine, state, [slackRoles("admin", slack.users.bob, ["Rl0J"])]);
    await forbidden(UNASSIGN, 100);
    const program = [slackRoles("admin", slack.users.carol, ["Rl0J"])];
    await assert.rejects(up(engine, state, program, record), /DeploymentError: delete \(replaced\) of admin failed/);
    assert.deepEqual(ops(), ["replace admin", "delete-replaced admin"]);
    assert.equal(entry(program[0])!.outputs.userId, slack.users.carol, "the replacement is live");
    assert.deepEqual(
      state.pendingDeletes.map((e) => e.outputs.userId),
      [slack.users.bob],
      "the old one waits to be deleted",
    );
    assert.deepEqual(
      (await preview(engine, state, program)).map((s) => `${s.op} ${s.name}`),
      ["same admin", "delete-replaced admin"],
    );

    // As on the real engine (GenerateDeletes), the pending delete runs with the deletes at the end, after a create.
    await sandbox.admin.clearFaults();
    await sandbox.admin.clearRequests();
    steps = [];
    await up(engine, state, [...program, slackRoles("erin", slack.users.erin, ["Rl0C"])], record);
    assert.deepEqual(ops(), ["same admin", "create erin", "delete-replaced admin"]);
    assert.deepEqual(await writes(), ["assign-role", "unassign-role"]);
    assert.deepEqual(state.pendingDeletes, []);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), []);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.carol), [`Rl0J@${slack.workspaces.platform}`]);
  });

  // e2e: scenarios.test.ts, "drift › a role revoked out of band: refresh drops it from state, the next preview
  // re-grants it, up restores it".
  it("refresh replaces the stored inputs and outputs with what Read returned; the next up re-grants what drifted", async () => {
    const program = [jumpcloudRoles("carol", jumpcloud.users.carol, ["manager", "help-desk"])];
    await up(engine, state, program);
    await editSandbox((s) => {
      const carol = s.users.find((u) => u.accountId === accounts.jumpcloud && u.id === jumpcloud.users.carol)!;
      carol.roles = carol.roles.filter((r) => r.id !== "help-desk");
    });
    await refresh(engine, state, record);
    assert.deepEqual(ops(), ["read carol"]);
    const refreshed = entry(program[0])!;
    assert.deepEqual(
      (refreshed.inputs.roles as { id: string }[]).map((r) => r.id),
      ["manager"],
      "inputs as Read returned them",
    );
    assert.deepEqual(
      (refreshed.outputs.roles as { id: string }[]).map((r) => r.id),
      ["manager"],
      "outputs as Read returned them",
    );
    const planned = await preview(engine, state, program);
    assert.deepEqual(
      planned.map((s) => [s.op, s.changed]),
      [["update", ["roles"]]],
    );
    await up(engine, state, program);
    assert.deepEqual(await held(accounts.jumpcloud, jumpcloud.users.carol), ["help-desk", "manager"]);
  });

  // e2e: scenarios.test.ts, "drift › the user deleted out of band: refresh drops the assignment, and up says the user does not exist".
  it("refresh drops a resource whose Read answers no id", async () => {
    await up(engine, state, [jumpcloudRoles("carol", jumpcloud.users.carol, ["manager"])]);
    await editSandbox(
      (s) => void (s.users = s.users.filter((u) => !(u.accountId === accounts.jumpcloud && u.id === jumpcloud.users.carol))),
    );
    const read = await refresh(engine, state, record);
    assert.deepEqual(ops(), ["read carol"]);
    assert.equal(read[0].state, undefined);
    assert.equal(state.resources.size, 0);
  });

  // e2e: engine-model.test.ts, "refresh after a partial failure › clears the initErrors a partial create left ...".
  it("refresh clears the init errors a partial create left", async () => {
    const program = [slackRoles("bob", slack.users.bob, ["Rl03", "Rl0J"])];
    await forbidden(ASSIGN, 1);
    await assert.rejects(up(engine, state, program));
    assert.equal(entry(program[0])!.initErrors?.length, 1);
    await refresh(engine, state);
    assert.equal(entry(program[0])!.initErrors, undefined);
    assert.deepEqual(
      (await preview(engine, state, program)).map((s) => [s.op, s.changed]),
      [["update", ["roles"]]],
      "Diff now sees the missing role",
    );
  });

  // e2e: engine-model.test.ts, "a failed Check › fails up with the reasons, records nothing and writes nothing". With
  // more resources, no step starts after the failed Check and those already running finish, so which were created
  // varies from run to run (test/fixtures/preview/README.md); the one-resource program here creates nothing.
  it("stops at a failed Check with the reasons, and creates nothing", async () => {
    const noWorkspace = resource("bad", {
      integratedAccountId: accounts.slackenterprise,
      integration: "slackenterprise",
      userId: slack.users.bob,
      roles: [{ id: "Rl03" }],
    });
    await assert.rejects(
      up(engine, state, [noWorkspace], record),
      /Check of bad \(pulumi-nodejs:dynamic\/truto:RoleAssignment\) failed[^]*workspaceId/,
    );
    assert.equal(state.resources.size, 0);
    assert.deepEqual(steps, []);
    assert.deepEqual(await writes(), []);
  });
});

describe("engine deployment: the pool (a stand-in host, no sockets)", () => {
  /** A host whose Check accepts anything and whose Create and Delete take `ms`, counting the calls in flight. */
  function slowHost(ms: number) {
    const seen = { inFlight: 0, most: 0, started: [] as string[] };
    const slow = async <T>(urn: string, value: T): Promise<T> => {
      seen.started.push(nameOf(urn));
      seen.most = Math.max(seen.most, ++seen.inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      seen.inFlight--;
      return value;
    };
    const host = {
      check: async (_urn: string, _olds: unknown, news: Record<string, unknown>) => ({ inputs: news, failures: [] }),
      create: (urn: string, inputs: Record<string, unknown>) => slow(urn, { id: urn, outputs: inputs }),
      // Create answered the URN as the id, so Delete can name what it deletes by its id.
      delete: (id: string) => slow(id, undefined),
    };
    return { host: host as unknown as Host, seen };
  }
  const program = ["a", "b", "c", "d", "e", "f"].map((name) => ({ urn: urn(name, TYPE, "dev", PROJECT), inputs: { name } }));

  // e2e: scenarios.test.ts, "a CLI killed mid-run" (several creates are in flight at once when the CLI is killed).
  it("runs at most `parallel` steps at once, started in program order, and deletes newest first", async () => {
    const { host, seen } = slowHost(15);
    const state = newStackState();
    await up(new Engine(host, { parallel: 2 }), state, program);
    assert.equal(seen.most, 2);
    assert.deepEqual(seen.started, ["a", "b", "c", "d", "e", "f"]);
    seen.started = [];
    await destroy(new Engine(host, { parallel: 3 }), state);
    assert.equal(seen.most, 3);
    assert.deepEqual(seen.started, ["f", "e", "d", "c", "b", "a"]);
    assert.equal(state.resources.size, 0);
  });
});
