/**
 * Crash and restart: the sandbox restarted from its state file in the middle of a run, and the provider
 * host killed between two calls (and in the middle of one). The next run converges, and nothing is lost
 * or granted twice.
 */
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import { SEED_IDS } from "../../src/sandbox";
import type { StateEntry, Step } from "../../tools/engine/deployment";
import { runPool } from "../../tools/engine/pool";
import { INTEGRATION_CASES, type IntegrationCase } from "../support/reliability/cases";
import { assertAgrees, holderOf, sandboxGrants } from "../support/reliability/holdings";
import { until } from "../support/reliability/wait";
import { useReliabilityRig } from "../support/reliability/rig";
import { recordRun, SECTIONS } from "../support/reliability/table";

const SECTION = SECTIONS.crash;
const ASSIGN = "/unified/user-directory/users/assign-role";
const [, jumpcloud] = INTEGRATION_CASES;

type Props = Record<string, unknown>;

interface Planned {
  name: string;
  inputs: Props;
}

// Two people per integration, each with the case's two roles: six resources in one run.
function plan(): Planned[] {
  const people = (c: IntegrationCase) => {
    const users = SEED_IDS[c.slug].users as Record<string, string>;
    return [users.dan, users.erin];
  };
  return INTEGRATION_CASES.flatMap((c) =>
    people(c).map((userId) => ({ name: `${c.slug}-${userId}`, inputs: { ...c.inputs(c.roles), userId } })),
  );
}

describe("reliability: crash and restart", function () {
  this.timeout(90_000);
  const rig = useReliabilityRig({ persist: true, sandbox: { rateLimit: false } });

  const recorded = (scenario: string, run: () => Promise<string>) => recordRun(SECTION, scenario, run);

  async function assertAllAgree(states: (StateEntry | undefined)[], context: string): Promise<void> {
    const sandbox = await rig.admin.state();
    for (const s of states) if (s) assertAgrees(sandbox, holderOf(s), s, true, context);
  }

  async function noOpRun(planned: Planned[], states: StateEntry[]): Promise<void> {
    await rig.admin.clearRequests();
    const steps = await runPool(planned, 3, (p, i) => rig.engine.up(p.name, p.inputs, states[i]));
    assert.deepEqual(
      steps.map((s) => s.op),
      planned.map(() => "same"),
      "the next run finds nothing to change",
    );
    const writes = (await rig.admin.requests()).filter((e) => e.method === "POST");
    assert.deepEqual(writes, [], "and writes nothing");
  }

  async function destroyAll(planned: Planned[], states: StateEntry[]): Promise<void> {
    const steps = await runPool(planned, 3, (p, i) => rig.engine.destroy(p.name, states[i]));
    assert.deepEqual(
      steps.map((s) => s.kind),
      planned.map(() => "ok"),
      steps.map((s) => s.error?.message).join("; "),
    );
    const sandbox = await rig.admin.state();
    for (const s of states) assert.deepEqual(sandboxGrants(sandbox, holderOf(s)), [], "destroy removed the access");
  }

  it("the sandbox restarts from its state file in the middle of a run: the run completes, the next run is a no-op", () =>
    recorded("sandbox restarted (from its state file) mid-run", async () => {
      const planned = plan();
      // Hold one grant in flight, so the restart cuts a write mid-request.
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 1, delayMs: 10_000 });
      const run = runPool(planned, 3, (p) => rig.engine.create(p.name, p.inputs));
      await until("a write held in flight while other requests complete", async () => {
        const log = await rig.admin.requests();
        return (
          log.some((e) => e.path === ASSIGN && e.status === null) && log.some((e) => e.path.startsWith("/unified/") && e.status === 200)
        );
      });
      const beforeCrash = (await rig.admin.requests()).filter((e) => e.status === 200 && e.method === "POST").length;
      await rig.stopSandbox();
      await rig.startSandboxAgain();
      const steps: Step[] = await run;
      assert.deepEqual(
        steps.map((s) => s.kind),
        planned.map(() => "ok"),
        steps
          .map((s) => s.error?.message)
          .filter(Boolean)
          .join("; "),
      );
      const states = steps.map((s) => s.state!);
      await assertAllAgree(states, "after the run the restart interrupted");
      const onDisk = JSON.parse(await fs.readFile(rig.stateFile!, "utf8"));
      assert.deepEqual(onDisk, await rig.admin.state(), "the state file holds what the sandbox serves");
      await noOpRun(planned, states);
      await destroyAll(planned, states);
      return `${planned.length} creates, ${beforeCrash} of their writes done before the restart: all ok via retries; next run no-op, no writes; destroy clean`;
    }));

  it("the provider host is killed between two calls: a fresh host refreshes, updates and destroys from state", () =>
    recorded("provider host killed between calls", async () => {
      const planned = plan().filter((_, i) => i % 2 === 0);
      let steps = await runPool(planned, 3, (p) => rig.engine.create(p.name, p.inputs));
      assert.deepEqual(
        steps.map((s) => s.kind),
        planned.map(() => "ok"),
      );
      let states = steps.map((s) => s.state!);
      await rig.restartHost("SIGKILL");
      await noOpRun(planned, states);

      const j = planned.findIndex((p) => p.inputs.integration === "jumpcloud");
      const changed = { ...planned[j].inputs, roles: [{ id: jumpcloud.roles[1] }, { id: jumpcloud.extra }] };
      const update = await rig.engine.up(planned[j].name, changed, states[j]);
      assert.equal(update.kind, "ok", update.error?.message);
      states[j] = update.state!;
      await rig.restartHost("SIGKILL");
      steps = await runPool(planned, 3, (p, i) => rig.engine.refresh(p.name, states[i]));
      assert.deepEqual(
        steps.map((s) => s.kind),
        planned.map(() => "ok"),
      );
      assert.deepEqual(
        steps.map((s) => s.state!.outputs.heldRoles),
        states.map((s) => s.outputs.heldRoles),
        "a fresh host reads back exactly what state holds",
      );
      states = steps.map((s) => s.state!);
      await assertAllAgree(states, "after refresh by a restarted host");
      await rig.restartHost("SIGKILL");
      await destroyAll(planned, states);
      return "killed twice (SIGKILL): next run no-op; update, refresh and destroy by fresh hosts converge";
    }));

  it("the provider host is killed in the middle of a create: the grant lands unrecorded, and the next run adopts it", () =>
    recorded("provider host killed mid-create", async () => {
      const c = jumpcloud;
      const who = { accountId: c.accountId, userId: c.userId };
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 1, delayMs: 1_000 });
      const pending = rig.engine.create("k1", c.inputs(c.roles));
      await until("the grant in flight", async () => (await rig.admin.requests()).some((e) => e.path === ASSIGN && e.status === null));
      await rig.restartHost("SIGKILL");
      const step = await pending;
      assert.equal(step.kind, "error", "the engine sees the create fail, so it records nothing");
      assert.equal(step.state, undefined);
      await until("the orphaned write to land", async () => (await rig.admin.requests()).every((e) => e.status !== null));
      const landed = sandboxGrants(await rig.admin.state(), who);
      // Not guaranteed, and said so in the README: a write already sent when the host dies can land unrecorded.
      assert.equal(landed.length, 2, "the write the dead host sent still landed");
      const next = await rig.engine.create("k1", c.inputs(c.roles));
      assert.equal(next.kind, "ok", next.error?.message);
      assertAgrees(await rig.admin.state(), who, next.state, true, "after the next run");
      await destroyAll([{ name: "k1", inputs: {} }], [next.state!]);
      return "create fails, grant lands unrecorded; next run adopts it (no duplicate); destroy clean";
    }));

  it("a timed-out write whose original arrives after the destroy is replayed by its Idempotency-Key, not applied again", () =>
    recorded("late original of a timed-out write, after destroy", async () => {
      const c = jumpcloud;
      const who = { accountId: c.accountId, userId: c.userId };
      const fast = await rig.extraHost({ TRUTO_TIMEOUT_MS: "300" });
      const engine = rig.engineFor(fast);
      await rig.admin.faults({ method: "POST", path: ASSIGN, count: 1, delayMs: 1_500 });
      const made = await engine.create("late", c.inputs(c.roles));
      assert.equal(made.kind, "ok", made.error?.message);
      const gone = await engine.destroy("late", made.state!);
      assert.equal(gone.kind, "ok", gone.error?.message);
      await until("the delayed original to land", async () => (await rig.admin.requests()).every((e) => e.status !== null), 200, 25);
      const log = (await rig.admin.requests()).filter((e) => e.path === ASSIGN);
      assert.equal(new Set(log.map((e) => e.idempotencyKey)).size, 1, "the original and its retry carry one key");
      assert.deepEqual(sandboxGrants(await rig.admin.state(), who), [], "the late original did not grant the roles again");
      return "original replayed from the idempotency cache; no access after destroy";
    }));

  it("shows the token nowhere the engine or any host could see it", () => rig.assertNoLeaks());
});
