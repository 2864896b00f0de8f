/**
 * The engine's call order (tools/engine/deployment.ts) over the real provider host, started in the
 * repository as the demo starts it, against the sandbox: create, same, update, both kinds of replace,
 * removal and destroy, judged by the sandbox's state and request log.
 */
import { strict as assert } from "node:assert";
import { destroy, preview, up, type StackState, type StepEvent } from "../../tools/engine/deployment";
import { startHost, type Host } from "../../tools/engine/host";
import { packageRoot } from "../../tools/engine/package-root";
import { resourceUrn, type RegisteredResource } from "../../tools/engine/program";
import { roleAssignmentProvider } from "../../src/provider/shim";
import { SEED_IDS } from "../../src/sandbox";
import { serializeProvider } from "../support/pulumi-values";
import { useSandbox } from "../support/sandbox-fixture";

const TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";
const PROJECT = "truto-engine-test";
const { accounts } = SEED_IDS;
const slack = SEED_IDS.slackenterprise;
const elastic = SEED_IDS.elasticcloud;

describe("engine deployment (up, preview, destroy) through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  let host: Host;
  let providerText: string;
  let state: StackState;
  let events: StepEvent[];

  before(async () => {
    providerText = await serializeProvider(roleAssignmentProvider);
    host = await startHost({
      cwd: packageRoot(),
      project: PROJECT,
      env: { TRUTO_API_TOKEN: sandbox.token, TRUTO_BASE_URL: sandbox.url, TRUTO_SETTLE_MS: "400", TRUTO_RATE_LIMIT: "off", TRUTO_READ_CACHE_MS: "0" },
    });
    await host.configure({});
  });
  after(async () => {
    await host?.kill();
  });
  beforeEach(() => {
    state = new Map();
    events = [];
  });

  const resource = (name: string, inputs: Record<string, unknown>): RegisteredResource => ({
    type: TYPE,
    name,
    urn: resourceUrn("dev", PROJECT, TYPE, name),
    inputs: { ...inputs, __provider: providerText },
  });
  const slackRoles = (name: string, userId: string, roles: string[], workspaceId: string = slack.workspaces.platform) =>
    resource(name, { integratedAccountId: accounts.slackenterprise, integration: "slackenterprise", userId, workspaceId, roles: roles.map((id) => ({ id })) });
  const elasticRoles = (name: string, userId: string, organizations: string[], roles: string[]) =>
    resource(name, { integratedAccountId: accounts.elasticcloud, integration: "elasticcloud", userId, organizations: organizations.map((id) => ({ id })), roles: roles.map((id) => ({ id })) });
  const record = (e: StepEvent) => void events.push(e);
  const ops = () => events.map((e) => `${e.op} ${e.name}`);

  async function held(accountId: string, userId: string): Promise<string[]> {
    const user = (await sandbox.admin.state()).users.find((u) => u.accountId === accountId && u.id === userId);
    return (user?.roles ?? []).map((r) => [r.id, r.workspace ?? r.organization].filter(Boolean).join("@")).sort();
  }
  async function writes(): Promise<string[]> {
    return (await sandbox.admin.requests()).filter((r) => r.method === "POST" && /assign-role$/.test(r.path)).map((r) => r.path.split("/").pop()!);
  }

  it("creates each resource, then a second up with the same program changes nothing", async () => {
    const program = [slackRoles("bob", slack.users.bob, ["Rl03"]), elasticRoles("dan", elastic.users.dan, [elastic.organizations.production], ["deployment-viewer"])];
    await up(host, state, program, record);
    assert.deepEqual(ops(), ["create bob", "create dan"]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl03@${slack.workspaces.platform}`]);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), [`deployment-viewer@${elastic.organizations.production}`]);
    assert.equal(state.size, 2);
    assert.equal(typeof state.get(program[0].urn)!.outputs.__provider, "string");

    events = [];
    await sandbox.admin.clearRequests();
    await up(host, state, program, record);
    assert.deepEqual(ops(), ["same bob", "same dan"]);
    assert.deepEqual(await writes(), []);
  });

  it("previews an update with Check and Diff only, then up applies it in place", async () => {
    await up(host, state, [slackRoles("bob", slack.users.bob, ["Rl03"])]);
    const id = state.get(slackRoles("bob", "", []).urn)!.id;
    await sandbox.admin.clearRequests();
    const changed = [slackRoles("bob", slack.users.bob, ["Rl0J"])];
    assert.deepEqual(await preview(host, state, changed), [{ op: "update", name: "bob", changed: ["roles"] }]);
    assert.deepEqual(await writes(), [], "preview wrote to the app");
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl03@${slack.workspaces.platform}`]);

    await up(host, state, changed, record);
    assert.deepEqual(events, [{ op: "update", name: "bob", changed: ["roles"] }]);
    assert.equal(state.get(changed[0].urn)!.id, id, "an update keeps the id");
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), [`Rl0J@${slack.workspaces.platform}`]);
  });

  it("replaces create-before-delete when the user changes: the new grant lands before the old revoke", async () => {
    await up(host, state, [slackRoles("admin", slack.users.bob, ["Rl0J"])]);
    await sandbox.admin.clearRequests();
    await up(host, state, [slackRoles("admin", slack.users.carol, ["Rl0J"])], record);
    assert.deepEqual(events, [{ op: "replace", name: "admin", changed: ["userId"], deleteBeforeReplace: false }]);
    assert.deepEqual(await writes(), ["assign-role", "unassign-role"]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.carol), [`Rl0J@${slack.workspaces.platform}`]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), []);
  });

  it("deletes first when Diff says the replacement overlaps, so the new grant survives the old revoke", async () => {
    const { production, staging } = elastic.organizations;
    await up(host, state, [elasticRoles("dan", elastic.users.dan, [production], ["deployment-viewer"])]);
    await sandbox.admin.clearRequests();
    await up(host, state, [elasticRoles("dan", elastic.users.dan, [production, staging], ["deployment-viewer"])], record);
    assert.deepEqual(events, [{ op: "replace", name: "dan", changed: ["organizations"], deleteBeforeReplace: true }]);
    assert.deepEqual(await writes(), ["unassign-role", "assign-role"]);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), [`deployment-viewer@${production}`, `deployment-viewer@${staging}`]);
  });

  it("deletes a resource that left the program", async () => {
    await up(host, state, [slackRoles("bob", slack.users.bob, ["Rl03"]), slackRoles("dan", slack.users.dan, ["Rl0C"])]);
    await up(host, state, [slackRoles("bob", slack.users.bob, ["Rl03"])], record);
    assert.deepEqual(ops(), ["same bob", "delete dan"]);
    assert.deepEqual([...state.values()].map((e) => e.name), ["bob"]);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.dan), []);
  });

  it("destroys everything, newest first, and leaves nothing held", async () => {
    await up(host, state, [slackRoles("bob", slack.users.bob, ["Rl03"]), elasticRoles("dan", elastic.users.dan, [elastic.organizations.staging], ["deployment-admin"])]);
    await destroy(host, state, record);
    assert.deepEqual(ops(), ["delete dan", "delete bob"]);
    assert.equal(state.size, 0);
    assert.deepEqual(await held(accounts.slackenterprise, slack.users.bob), []);
    assert.deepEqual(await held(accounts.elasticcloud, elastic.users.dan), []);
  });

  it("stops at a failed Check with the reasons, and creates nothing", async () => {
    const noWorkspace = resource("bad", { integratedAccountId: accounts.slackenterprise, integration: "slackenterprise", userId: slack.users.bob, roles: [{ id: "Rl03" }] });
    await assert.rejects(up(host, state, [noWorkspace], record), /Check of bad \(pulumi-nodejs:dynamic\/truto:RoleAssignment\) failed[^]*workspaceId/);
    assert.equal(state.size, 0);
    assert.deepEqual(events, []);
    assert.deepEqual(await writes(), []);
  });
});
