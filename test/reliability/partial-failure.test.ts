/**
 * Partial failures in multi-role creates and updates: the engine records what really exists (the
 * failure's id and properties), the sandbox agrees with that record, and the next run converges
 * without repeating writes that already landed.
 */
import { strict as assert } from "node:assert";
import type { LoggedRequest } from "../../src/sandbox";
import type { Step } from "../../tools/engine/deployment";
import { INTEGRATION_CASES } from "../support/reliability/cases";
import { assertAgrees } from "../support/reliability/holdings";
import { useReliabilityRig } from "../support/reliability/rig";
import { recordRun, SECTIONS } from "../support/reliability/table";

const SECTION = SECTIONS.partial;
const ASSIGN = "/unified/user-directory/users/assign-role";
const UNASSIGN = "/unified/user-directory/users/unassign-role";
const FORBIDDEN = { statusCode: 403, error: "Forbidden", message: "Missing scope: users:write." };

const [slack, jumpcloud, elastic] = INTEGRATION_CASES;

function heldIds(step: Step): string[] {
  return ((step.state?.outputs.heldRoles as { id: string }[]) ?? []).map((r) => r.id).sort();
}

function writes(log: LoggedRequest[], path: string): number {
  return log.filter((e) => e.method === "POST" && e.path === path).length;
}

describe("reliability: partial failures are recorded and converge", function () {
  this.timeout(60_000);
  const rig = useReliabilityRig({ sandbox: { rateLimit: false } });

  const recorded = (scenario: string, subject: string, run: () => Promise<string>) => recordRun(SECTION, scenario, run, subject);

  it("Slack Enterprise create: one of three per-role grants refused → 2 of 3 recorded; the next run grants only the third", () =>
    recorded("create, one of three grants refused (403)", slack.label, async () => {
      const who = { accountId: slack.accountId, userId: slack.userId };
      const roles = [...slack.roles, slack.extra];
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 1, status: 403, body: FORBIDDEN });
      const step = await rig.engine.create("p1", slack.inputs(roles));
      assert.equal(step.kind, "partial", step.error?.message);
      assert.match(step.error!.message, /granted 2 of 3 roles/);
      assert.match(step.error!.message, /answered 403/);
      assert.equal(step.error!.initFailure!.reasons.length, 1, "one reason per role not granted");
      assert.equal(typeof step.state!.outputs.__provider, "string", "state keeps __provider, so destroy still works");
      assert.equal(heldIds(step).length, 2);
      assertAgrees(await rig.admin.state(), who, step.state, true, "after the partial create");

      await rig.admin.clearRequests();
      const next = await rig.engine.update("p1", step.state!, slack.inputs(roles));
      assert.equal(next.kind, "ok", next.error?.message);
      assert.equal(next.op, "update", "a resource with init errors always gets an Update");
      assert.deepEqual(heldIds(next), [...roles].sort());
      assertAgrees(await rig.admin.state(), who, next.state, true, "after the next run");
      const log = await rig.admin.requests();
      assert.equal(writes(log, ASSIGN), 1, "only the missing role is granted again");
      assert.equal(writes(log, UNASSIGN), 0);
      return "partial (2 of 3 held) recorded; next run grants only the missing role";
    }));

  it("Slack Enterprise create: a partial failure survives a refresh, and the next run still converges", () =>
    recorded("create partial, then refresh, then up", slack.label, async () => {
      const who = { accountId: slack.accountId, userId: slack.userId };
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 1, status: 403, body: FORBIDDEN });
      const step = await rig.engine.create("p2", slack.inputs(slack.roles));
      assert.equal(step.kind, "partial", step.error?.message);
      await rig.admin.clearFaults();
      const refreshed = await rig.engine.refresh("p2", step.state!);
      assert.equal(refreshed.kind, "ok");
      assertAgrees(await rig.admin.state(), who, refreshed.state, true, "after refresh");
      const next = await rig.engine.update("p2", refreshed.state!, slack.inputs(slack.roles));
      assert.equal(next.kind, "ok", next.error?.message);
      assert.deepEqual(heldIds(next), [...slack.roles].sort());
      assertAgrees(await rig.admin.state(), who, next.state, true, "after the next run");
      return `partial (${heldIds(step).length} of 2 held); refresh keeps it; next run converges`;
    }));

  for (const c of [slack, jumpcloud]) {
    it(`${c.label} update: the grant lands, the revoke is refused → the role still held stays in state; the next run revokes it`, () =>
      recorded("update, revoke refused (403)", c.label, async () => {
        const who = { accountId: c.accountId, userId: c.userId };
        const made = await rig.engine.create("u1", c.inputs(c.roles));
        assert.equal(made.kind, "ok", made.error?.message);
        await rig.admin.faults({ method: "POST", path: UNASSIGN, count: 100, status: 403, body: FORBIDDEN });
        const step = await rig.engine.update("u1", made.state!, c.inputs([c.roles[1], c.extra]));
        assert.equal(step.kind, "partial", step.error?.message);
        assert.match(step.error!.message, /could not revoke/);
        assert.deepEqual(heldIds(step), [...c.roles, c.extra].sort(), "state keeps the role that could not be revoked");
        assertAgrees(await rig.admin.state(), who, step.state, true, "after the partial update");

        await rig.admin.clearFaults();
        await rig.admin.clearRequests();
        const next = await rig.engine.update("u1", step.state!, c.inputs([c.roles[1], c.extra]));
        assert.equal(next.kind, "ok", next.error?.message);
        assert.deepEqual(heldIds(next), [c.roles[1], c.extra].sort());
        assertAgrees(await rig.admin.state(), who, next.state, true, "after the next run");
        const log = await rig.admin.requests();
        assert.equal(writes(log, ASSIGN), 0, "nothing granted twice");
        assert.equal(writes(log, UNASSIGN), 1, "only the role left over is revoked");
        return "partial recorded (removed role kept in state); next run revokes only it";
      }));
  }

  it("Elastic Cloud update: the scope-wide revoke lands, the re-grant is refused → nothing held is recorded; the next run grants", () =>
    recorded("update, re-grant after scope revoke refused (403)", elastic.label, async () => {
      const c = elastic;
      const who = { accountId: c.accountId, userId: c.userId };
      const made = await rig.engine.create("u2", c.inputs(c.roles));
      assert.equal(made.kind, "ok", made.error?.message);
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 100, status: 403, body: FORBIDDEN });
      const step = await rig.engine.update("u2", made.state!, c.inputs([c.roles[1], c.extra]));
      assert.equal(step.kind, "partial", step.error?.message);
      assert.match(step.error!.message, /could not grant/);
      // Elastic revokes the whole organization, so the role meant to stay is gone until the next run.
      assert.deepEqual(heldIds(step), [], "state records that nothing is held");
      assertAgrees(await rig.admin.state(), who, step.state, true, "after the partial update");

      await rig.admin.clearFaults();
      const next = await rig.engine.update("u2", step.state!, c.inputs([c.roles[1], c.extra]));
      assert.equal(next.kind, "ok", next.error?.message);
      assert.deepEqual(heldIds(next), [c.roles[1], c.extra].sort());
      assertAgrees(await rig.admin.state(), who, next.state, true, "after the next run");
      return "partial (0 held: the kept role was revoked with the scope) recorded; next run converges";
    }));

  it("shows the token nowhere the engine or the host could see it", () => rig.assertNoLeaks());
});
