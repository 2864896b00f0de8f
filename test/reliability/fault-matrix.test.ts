/**
 * Faults × operations: for create, update, read and delete on Slack Enterprise, JumpCloud and Elastic
 * Cloud, one fault is injected through the sandbox's fault API and the operation runs through the real
 * provider host. Each expected outcome is written below; in every case the sandbox must agree with what
 * Pulumi would record, and a failed step must converge on the next run once the fault is gone.
 */
import { strict as assert } from "node:assert";
import type { FaultSpec, LoggedRequest } from "../../src/sandbox";
import type { StateEntry, Step } from "../../tools/engine/deployment";
import { INTEGRATION_CASES, type IntegrationCase } from "../support/reliability/cases";
import { assertAgrees, holderOf } from "../support/reliability/holdings";
import { useReliabilityRig } from "../support/reliability/rig";
import { recordOutcome, SECTIONS } from "../support/reliability/table";

const SECTION = SECTIONS.faults;
/** The provider's per-request timeout in this suite, and a delay that outlasts it. */
const TIMEOUT_MS = 300;
const SLOW_MS = 800;

type Op = "create" | "update" | "read" | "delete";
const OPS: readonly Op[] = ["create", "update", "read", "delete"];

/**
 * Which requests a fault disturbs: `first` the operation's first /unified request, once (the write, or
 * the read's GET); `writes` every write of the operation (every GET for a read); `all` every request.
 */
type Scope = "first" | "writes" | "all";

interface FaultCase {
  key: string;
  title: string;
  scope: Scope;
  spec: () => Partial<FaultSpec>;
  /** The wait the answer asked for, which the retry must have honoured (ms). */
  honoursWaitMs?: number;
}

const insight400 = {
  statusCode: 400,
  error: "Bad Request",
  message: "unassign-role is missing required query parameters.",
  truto_error_insight: {
    missing_required_query_parameters: {
      description: "These query parameters are required for this integration.",
      value: ["workspace_id"],
    },
  },
};

const FAULTS: readonly FaultCase[] = [
  {
    key: "429-seconds",
    title: "429, Retry-After: 1 (seconds)",
    scope: "first",
    spec: () => ({ status: 429, retryAfter: 1 }),
    honoursWaitMs: 900,
  },
  {
    key: "429-date",
    title: "429, Retry-After as an HTTP-date",
    scope: "first",
    spec: () => ({ status: 429, retryAfter: new Date(Date.now() + 1000).toUTCString() }),
  },
  {
    key: "429-reset",
    title: "429 with only ratelimit-reset: 1",
    scope: "first",
    spec: () => ({ status: 429, headers: { "ratelimit-limit": "50;w=10", "ratelimit-remaining": "0", "ratelimit-reset": "1" } }),
    honoursWaitMs: 900,
  },
  { key: "429-long", title: "429, Retry-After: 3600 (past the budget)", scope: "first", spec: () => ({ status: 429, retryAfter: 3600 }) },
  { key: "500", title: "500 (Truto's own)", scope: "first", spec: () => ({ status: 500 }) },
  // A vendor's 5xx through Truto is as transient as Truto's own, and retried with the same backoff.
  { key: "500-remote", title: "500 from the vendor (truto_is_remote_error)", scope: "first", spec: () => ({ status: 500, remote: true }) },
  { key: "502", title: "502", scope: "first", spec: () => ({ status: 502 }) },
  // The vendor's 503, forwarded by Truto: transient. Truto's own 503 means the account is blocked (below).
  { key: "503", title: "503 from the vendor (truto_is_remote_error)", scope: "first", spec: () => ({ status: 503, remote: true }) },
  { key: "504", title: "504", scope: "first", spec: () => ({ status: 504 }) },
  { key: "drop", title: "dropped connection", scope: "first", spec: () => ({ drop: true }) },
  {
    key: "slow",
    title: `answer slower than the timeout (${SLOW_MS} ms > ${TIMEOUT_MS} ms)`,
    scope: "first",
    spec: () => ({ delayMs: SLOW_MS }),
  },
  { key: "malformed", title: "200 with a malformed JSON body", scope: "first", spec: () => ({ malformed: true }) },
  { key: "noop", title: "200 that did not apply the change", scope: "writes", spec: () => ({ noop: true }) },
  {
    key: "401",
    title: "401 on every request (token revoked)",
    scope: "all",
    spec: () => ({ status: 401, body: { statusCode: 401, error: "Unauthorized", message: "Invalid API token." } }),
  },
  {
    key: "403",
    title: "403 on every write (no write scope)",
    scope: "writes",
    spec: () => ({ status: 403, body: { statusCode: 403, error: "Forbidden", message: "Missing scope: users:write." } }),
  },
  {
    key: "404",
    title: "404 on every request (account not visible)",
    scope: "all",
    spec: () => ({ status: 404, body: { statusCode: 404, error: "Not Found", message: "Integrated account not found." } }),
  },
  { key: "400", title: "400 with truto_error_insight", scope: "writes", spec: () => ({ status: 400, body: insight400 }) },
  {
    key: "503-blocked",
    title: "Truto's own 503 on every request (account blocked)",
    scope: "all",
    spec: () => ({ status: 503, body: { statusCode: 503, error: "Service Unavailable", message: "Integrated account is blocked." } }),
  },
];

const TRANSIENT = new Set(["429-seconds", "429-date", "429-reset", "500", "500-remote", "502", "503", "504", "drop", "slow"]);

/** What a scenario must end with. `says`: patterns the error message must match (it always names the account). */
type Expectation = { kind: "ok"; retried: boolean } | { kind: "error"; code: string; says: RegExp[] } | { kind: "partial"; says: RegExp[] };

// The expected outcome of each operation under each fault, as the provider promises it.
function expectation(op: Op, fault: FaultCase): Expectation {
  if (TRANSIENT.has(fault.key)) return { kind: "ok", retried: true };
  switch (`${op} ${fault.key}`) {
    // A wait longer than any one retry may take ends the call at once, and says so.
    case "create 429-long":
      return { kind: "partial", says: [/granted [01] of 2 roles/, /answered 429/, /did not clear within the retry budget/] };
    case "update 429-long":
      return { kind: "partial", says: [/only in part/, /answered 429/] };
    case "read 429-long":
      return { kind: "error", code: "TRUTO_RATE_LIMITED", says: [/answered 429/, /did not clear within the retry budget/] };
    case "delete 429-long":
      return { kind: "error", code: "TRUTO_RATE_LIMITED", says: [/still holds/, /answered 429/, /stays in state/] };
    // A garbled answer to a write is not retried (the write may have happened); the read-back decides.
    case "create malformed":
      return { kind: "partial", says: [/granted [01] of 2 roles/, /not valid JSON/, /run `pulumi up` again/] };
    case "update malformed":
      return { kind: "partial", says: [/only in part/, /not valid JSON/] };
    case "read malformed":
      return { kind: "ok", retried: true };
    case "delete malformed":
      return { kind: "error", code: "TRUTO_BAD_RESPONSE", says: [/still holds/, /not valid JSON/, /stays in state/] };
    // A success that did nothing is caught by reading back.
    case "create noop":
      return { kind: "partial", says: [/granted 0 of 2 roles/, /reported success, but the role did not show up as held/] };
    case "update noop":
      return { kind: "partial", says: [/only in part/, /reported success, but the role did not show up as (held|gone)/] };
    case "read noop":
      return { kind: "ok", retried: false };
    case "delete noop":
      return { kind: "error", code: "TRUTO_REVOKE_NOT_CONFIRMED", says: [/still holds/, /did not show up as gone/, /stays in state/] };
    case "create 401":
    case "update 401":
    case "read 401":
    case "delete 401":
      return { kind: "error", code: "TRUTO_UNAUTHORIZED", says: [/answered 401/, /token was not accepted/, /TRUTO_API_TOKEN/] };
    case "create 403":
      return { kind: "error", code: "TRUTO_FORBIDDEN", says: [/nothing was granted/, /answered 403/, /Missing scope: users:write/] };
    case "update 403":
      return { kind: "partial", says: [/only in part/, /answered 403/] };
    case "read 403":
      return { kind: "error", code: "TRUTO_FORBIDDEN", says: [/answered 403/, /Missing scope/] };
    case "delete 403":
      return { kind: "error", code: "TRUTO_FORBIDDEN", says: [/still holds/, /answered 403/, /stays in state/] };
    case "create 400":
      return {
        kind: "error",
        code: "TRUTO_VALIDATION",
        says: [/nothing was granted/, /answered 400/, /Missing query parameters: workspace_id/],
      };
    case "update 400":
      return { kind: "partial", says: [/only in part/, /Missing query parameters: workspace_id/] };
    case "read 400":
      return { kind: "error", code: "TRUTO_VALIDATION", says: [/answered 400/, /Missing query parameters: workspace_id/] };
    case "delete 400":
      return { kind: "error", code: "TRUTO_VALIDATION", says: [/still holds/, /Missing query parameters: workspace_id/] };
    // Truto's own 404 (no truto_is_remote_error) means the integrated account is not visible to the token: it
    // says nothing about the user or the roles, so it is an error that keeps state. Only the vendor's 404 means gone.
    case "create 404":
    case "update 404":
    case "read 404":
    case "delete 404":
      return { kind: "error", code: "TRUTO_NOT_FOUND", says: [/answered 404/, /Integrated account not found/] };
    // Truto's own 503 means the account is blocked: never retried (checked below), an error that keeps state.
    case "create 503-blocked":
    case "update 503-blocked":
    case "read 503-blocked":
    case "delete 503-blocked":
      return {
        kind: "error",
        code: "TRUTO_ACCOUNT_BLOCKED",
        says: [/TRUTO_ACCOUNT_BLOCKED/, /answered 503/, /blocked/, /retrying cannot help/, /Truto dashboard/],
      };
  }
  throw new Error(`no expectation written for ${op} under ${fault.key}`);
}

function faultFor(op: Op, fault: FaultCase): FaultSpec {
  const path = "/unified/*";
  const spec = fault.spec();
  if (fault.scope === "first") return { method: "*", path, count: 1, ...spec } as FaultSpec;
  if (fault.scope === "writes") return { method: op === "read" ? "GET" : "POST", path, count: 1_000, ...spec } as FaultSpec;
  return { method: "*", path, count: 1_000, ...spec } as FaultSpec;
}

// A few words on what an error message says happened, for the table.
function gist(message: string): string {
  const status = /answered (\d{3})/.exec(message)?.[1];
  const parts = [
    /still holds/.test(message) && "roles still held",
    /nothing was granted/.test(message) && "nothing granted",
    /does not exist|no longer exists/.test(message) && "user called missing",
    /not valid JSON/.test(message) ? "garbled answer" : status && `HTTP ${status}`,
    /did not show up/.test(message) && "read-back disagrees",
  ].filter(Boolean);
  return parts.join(", ") || "error";
}

function describeStep(op: Op, step: Step, retried: boolean): string {
  if (step.kind === "ok") return retried ? "ok after retry" : "ok";
  if (step.kind === "partial") {
    const held = ((step.state?.outputs.heldRoles as unknown[]) ?? []).length;
    return `partial: recorded with ${held} role${held === 1 ? "" : "s"} held`;
  }
  return `error (${gist(step.error!.message)}); ${op === "create" ? "nothing recorded" : "state kept"}`;
}

describe("reliability: faults × operations through the provider host", function () {
  this.timeout(60_000);
  const rig = useReliabilityRig({ sandbox: { rateLimit: false }, env: { TRUTO_TIMEOUT_MS: String(TIMEOUT_MS), TRUTO_SETTLE_MS: "300" } });
  let serial = 0;

  // The first /unified request of the operation (the one a `first` fault hit) and the attempts that share its identity.
  function attemptsOfFirst(log: LoggedRequest[]): LoggedRequest[] {
    const api = log.filter((e) => e.path.startsWith("/unified/"));
    const first = api[0];
    if (!first) return [];
    // A GET has no key; within one operation, the same path read again is the same call retried.
    return api.filter(
      (e) => e.path === first.path && e.method === first.method && (first.method === "GET" || e.idempotencyKey === first.idempotencyKey),
    );
  }

  async function untilAnswered(): Promise<LoggedRequest[]> {
    for (let i = 0; i < 100; i++) {
      const log = await rig.admin.requests();
      if (log.every((e) => e.status !== null)) return log;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("a delayed request was still unanswered after 5 s");
  }

  async function setUp(op: Op, c: IntegrationCase, name: string): Promise<StateEntry | undefined> {
    if (op === "create") return undefined;
    const made = await rig.engine.create(name, c.inputs(c.roles));
    assert.equal(made.kind, "ok", `setting up: ${made.error?.message}`);
    return made.state;
  }

  function runOp(op: Op, c: IntegrationCase, name: string, state: StateEntry | undefined): Promise<Step> {
    if (op === "create") return rig.engine.create(name, c.inputs(c.roles));
    if (op === "update") return rig.engine.update(name, state!, c.inputs([c.roles[1], c.extra]));
    if (op === "read") return rig.engine.refresh(name, state!);
    return rig.engine.destroy(name, state!);
  }

  // The engine's next step once the cause is fixed: Create again, Update (init errors or kept state), Read or Delete again.
  function nextRun(op: Op, c: IntegrationCase, name: string, step: Step): Promise<Step> {
    if (op === "create")
      return step.state ? rig.engine.update(name, step.state, c.inputs(c.roles)) : rig.engine.create(name, c.inputs(c.roles));
    return runOp(op, c, name, step.state);
  }

  async function scenario(op: Op, fault: FaultCase, c: IntegrationCase, expected: Expectation): Promise<string> {
    const name = `m${++serial}`;
    const who = { accountId: c.accountId, userId: c.userId };
    const before = await setUp(op, c, name);
    await rig.admin.clearRequests();
    await rig.admin.faults(faultFor(op, fault));
    const step = await runOp(op, c, name, before);
    // The delayed first attempt is still being served after the client gave up on it; let it land, so the
    // check below also covers a late original (it must be replayed, not applied again) and the next test starts clean.
    const log = fault.key === "slow" ? await untilAnswered() : await rig.admin.requests();
    const left = await rig.admin.listFaults();
    await rig.admin.clearFaults();
    const context = `${op} under "${fault.title}" on ${c.label}`;

    assert.equal(
      step.kind,
      expected.kind,
      `${context}: expected ${expected.kind}, got ${step.kind}${step.error ? `: ${step.error.message}` : ""}`,
    );
    let retried = false;
    if (expected.kind === "ok" && expected.retried) {
      assert.deepEqual(
        left.map((f) => f.remaining),
        [],
        `${context}: the fault was never hit`,
      );
      const attempts = attemptsOfFirst(log);
      assert.ok(attempts.length >= 2, `${context}: the disturbed request was not retried (${attempts.length} attempt)`);
      if (attempts[0].method === "POST")
        assert.ok(
          attempts.every((a) => a.idempotencyKey === attempts[0].idempotencyKey),
          "a retried write keeps its Idempotency-Key",
        );
      if (fault.honoursWaitMs) {
        const waited = Date.parse(attempts[1].at) - Date.parse(attempts[0].at);
        assert.ok(waited >= fault.honoursWaitMs, `${context}: retried after ${waited} ms, before the ${fault.honoursWaitMs} ms asked for`);
      }
      retried = true;
    }
    if (fault.key === "503-blocked") {
      const api = log.filter((e) => e.path.startsWith("/unified/"));
      const sent = api.map((e) => (e.method === "GET" ? `GET ${e.path}` : `POST ${e.path} ${e.idempotencyKey}`));
      assert.ok(api.length > 0, `${context}: no request reached the sandbox`);
      // Reads may repeat within the settle window, but each logical call was sent once: none was retried.
      const posts = sent.filter((s) => s.startsWith("POST"));
      assert.equal(new Set(posts).size, posts.length, `${context}: a write was retried after Truto's own 503: ${posts.join(", ")}`);
      if (op === "read") assert.equal(attemptsOfFirst(log).length, 1, `${context}: the read was retried after Truto's own 503`);
    }
    if (expected.kind !== "ok") {
      const message = step.error!.message;
      for (const pattern of [new RegExp(c.accountId), ...expected.says])
        assert.match(message, pattern, `${context}: the message does not say ${pattern}`);
    }
    // The sandbox must agree with what Pulumi records: exactly, unless a plain error kept older state.
    assertAgrees(await rig.admin.state(), who, step.state, step.kind !== "error", context);
    if (step.state) assert.deepEqual(holderOf(step.state), who);
    let outcome = describeStep(op, step, retried);

    if (step.kind !== "ok") {
      const next = await nextRun(op, c, name, step);
      assert.equal(next.kind, "ok", `${context}: the next run did not converge: ${next.error?.message}`);
      assertAgrees(await rig.admin.state(), who, next.state, true, `${context}, next run`);
      if (op === "delete") assert.equal(next.state, undefined);
      if (op === "create" || op === "update") {
        const declared = op === "create" ? c.roles : [c.roles[1], c.extra];
        assert.deepEqual(((next.state!.outputs.heldRoles as { id: string }[]) ?? []).map((r) => r.id).sort(), [...declared].sort());
      }
      outcome += "; next run converges";
    }
    return outcome;
  }

  for (const c of INTEGRATION_CASES) {
    describe(c.label, () => {
      for (const op of OPS) {
        describe(op, () => {
          for (const fault of FAULTS) {
            const e = expectation(op, fault);
            const title = `${op} × ${fault.title}`;
            it(title, async () => {
              let outcome = "did not finish";
              let verdict: "pass" | "fail" = "fail";
              try {
                outcome = await scenario(op, fault, c, e);
                verdict = "pass";
              } catch (err) {
                outcome = (err as Error).message.split("\n")[0].slice(0, 160);
                throw err;
              } finally {
                recordOutcome({ section: SECTION, scenario: fault.title, column: op, subject: c.label, outcome, verdict });
              }
            });
          }
        });
      }
    });
  }

  describe("retry budget", () => {
    it("delete × the vendor's 503 on every attempt: gives up after the policy's attempts, says so, and keeps state while the roles are held", async () => {
      const c = INTEGRATION_CASES[1];
      const name = `budget${++serial}`;
      let outcome = "did not finish";
      let verdict: "pass" | "fail" = "fail";
      try {
        const state = await setUp("delete", c, name);
        await rig.admin.faults({ method: "POST", path: "/unified/*", count: 1_000, status: 503, remote: true });
        const step = await runOp("delete", c, name, state);
        await rig.admin.clearFaults();
        assert.equal(step.kind, "error");
        for (const pattern of [/still holds/, /answered 503/, /Gave up after 6 attempts/, /safe to run again/])
          assert.match(step.error!.message, pattern);
        const who = { accountId: c.accountId, userId: c.userId };
        assertAgrees(await rig.admin.state(), who, step.state, true, "after the failed delete");
        const next = await runOp("delete", c, name, step.state);
        assert.equal(next.kind, "ok", next.error?.message);
        assertAgrees(await rig.admin.state(), who, undefined, true, "after the next run");
        outcome = "error (gave up after 6 attempts, roles still held); state kept; next run converges";
        verdict = "pass";
      } finally {
        recordOutcome({ section: SECTION, scenario: "vendor 503 on every attempt (JumpCloud)", column: "delete", outcome, verdict });
      }
    });
  });

  describe("error codes", () => {
    const CODE_CASES: [Op, string][] = [
      ["create", "403"],
      ["update", "401"],
      ["read", "400"],
      ["delete", "noop"],
    ];
    // Only the message crosses gRPC (the host sends `e.message`), so the stable code must lead it: that is what
    // a person running Pulumi, or a CI log search, can see.
    for (const [op, key] of CODE_CASES) {
      const fault = FAULTS.find((f) => f.key === key)!;
      it(`an error from the host names its stable code (${op} × ${fault.title})`, async () => {
        let outcome = "did not finish";
        let verdict: "pass" | "fail" = "fail";
        try {
          const c = INTEGRATION_CASES[1];
          const e = expectation(op, fault);
          if (e.kind === "ok") throw new Error(`${op} under ${fault.title} is not an error case`);
          const name = `code${++serial}`;
          const state = await setUp(op, c, name);
          await rig.admin.faults(faultFor(op, fault));
          const step = await runOp(op, c, name, state);
          const code = e.kind === "error" ? e.code : "TRUTO_PARTIAL_FAILURE";
          assert.ok(step.error, `${op} under ${fault.title} did not fail`);
          assert.ok(
            step.error.details.startsWith(`[${code}] `),
            `${op} under ${fault.title}: the message does not start with [${code}]: ${step.error.details.slice(0, 160)}`,
          );
          outcome = `yes: "[${code}] …" (under ${fault.title})`;
          verdict = "pass";
        } catch (err) {
          outcome = (err as Error).message.split("\n")[0].slice(0, 160);
          throw err;
        } finally {
          recordOutcome({ section: SECTION, scenario: "the stable error code reaches the user", column: op, outcome, verdict });
        }
      });
    }
  });

  // Last: mocha runs a suite's own tests before its nested suites, so this check gets a suite of its own.
  describe("after every scenario above", () => {
    it("shows the token nowhere: __provider, inputs, outputs, error messages, partial failures, host output", () => rig.assertNoLeaks());
  });
});
