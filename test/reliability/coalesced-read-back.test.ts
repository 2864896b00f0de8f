/**
 * Coalesced reads never let a listing taken before a write confirm that write. Through the real provider
 * host with listings kept for a minute: a refresh leaves a Slack workspace's listing showing Alice as a
 * Channel Manager; the role is then removed out of band, and a create that grants it again is answered
 * with a `noop` (Truto says success, nothing changes). Read back from the old listing, the grant would pass
 * as confirmed while nobody holds the role; the read-back must come from a listing begun after the write.
 * Two things see to it: a write forgets the listings it makes stale, and a fresh read is answered only by a
 * listing begun after it (test/unit/coalesced-reads.test.ts checks that one alone). With both undone this fails.
 */
import { strict as assert } from "node:assert";
import { SEED_IDS } from "../../src/sandbox";
import { urn } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { hostFailure } from "../support/truto-assertions";

const account = SEED_IDS.accounts.slackenterprise;
const { alice, bob } = SEED_IDS.slackenterprise.users;
const { platform } = SEED_IDS.slackenterprise.workspaces;
const { channelManager, integrationsManager } = SEED_IDS.slackenterprise.roles;
const slack = (userId: string, role: string) => ({
  integratedAccountId: account,
  integration: "slackenterprise",
  userId,
  workspaceId: platform,
  roles: [{ id: role }],
});

describe("reliability: a coalesced read-back proves its write", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ rateLimit: false });
  // Listings answer reads that need not be fresh for a minute: the stale one is there to be (mis)used.
  const provider = useProviderHost(sandbox, 400, { TRUTO_READ_CACHE_MS: "60000", TRUTO_READ_STRATEGY: "coalesced" });

  it("a noop grant is not confirmed by a listing begun before the write", async () => {
    const a = await provider.checked("bob", slack(bob, integrationsManager));
    const made = await provider.host.create(urn("bob"), a);
    await provider.host.read(made.id, urn("bob"), made.outputs, a); // a refresh: a listing of the workspace, kept
    const state = await sandbox.admin.state();
    const held = state.users.find((u) => u.accountId === account && u.id === alice);
    assert.ok(
      held?.roles.some((r) => r.id === channelManager && r.workspace === platform),
      "the seed has Alice as Channel Manager",
    );
    held!.roles = held!.roles.filter((r) => !(r.id === channelManager && r.workspace === platform));
    await sandbox.admin.putState(state); // removed out of band, after that listing
    await sandbox.admin.faults({ method: "POST", path: "/unified/user-directory/users/assign-role", count: 1, noop: true });
    await sandbox.admin.clearRequests();

    const b = await provider.checked("alice", slack(alice, channelManager));
    const e = await hostFailure(provider.host.create(urn("alice"), b));
    assert.match(e.message, /granted 0 of 1 roles .*did not show up as held when read back/, e.message);
    const log = await sandbox.admin.requests();
    const assign = log.findIndex((r) => r.method === "POST" && r.path === "/unified/user-directory/users/assign-role");
    const listedAfter = log.slice(assign + 1).some((r) => r.method === "GET" && r.path === "/unified/user-directory/role_assignments");
    assert.ok(assign >= 0 && listedAfter, "the read-back listed the workspace after the write");
  });
});
