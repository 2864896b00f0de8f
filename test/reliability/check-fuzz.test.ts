/**
 * Bad input: `check` fuzzed with fast-check — valid inputs, broken ones, unknown sentinels, huge
 * strings, unicode and prototype-pollution keys. It never throws, never answers undefined (anywhere in
 * its inputs), and every failure names a property path. In process (the very function the host calls,
 * own `__proto__` keys included) and through the real host over gRPC.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { INPUT_KEYS } from "../../src/provider/inputs";
import { check } from "../../src/provider/provider";
import { urn } from "../support/host";
import { anyInputs, withSentinels } from "../support/reliability/arbitraries";
import { useReliabilityRig } from "../support/reliability/rig";
import { recordOutcome, SECTIONS } from "../support/reliability/table";
import { UNKNOWNS } from "../support/pulumi-values";

const SECTION = SECTIONS.input;
const IN_PROCESS_RUNS = 10_000;
const HOST_RUNS = 2_000;

type Props = Record<string, unknown>;

/** The path of the first `undefined` in a value, or undefined when there is none (bounded depth). */
function undefinedAt(value: unknown, path = "", depth = 0): string | undefined {
  if (value === undefined) return path || "(root)";
  if (value === null || typeof value !== "object" || depth > 80) return undefined;
  for (const key of Object.keys(value)) {
    const found = undefinedAt((value as Props)[key], `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Whether `property` is a path into `input`: it starts at a documented input or at a key the input has. */
function namesPropertyPath(property: string, input: Props): boolean {
  if (property.length === 0) return false;
  // An empty key is written `[""]`, so it starts a path the way an index does.
  if (Object.hasOwn(input, "") && (property === '[""]' || property.startsWith('[""].') || property.startsWith('[""]['))) return true;
  const roots = [...INPUT_KEYS, ...Object.keys(input)].filter((k) => k.length > 0);
  return roots.some((k) => property === k || property.startsWith(`${k}.`) || property.startsWith(`${k}[`));
}

function assertGoodAnswer(input: Props, res: { inputs?: unknown; failures?: { property: string; reason: string }[] } | undefined): void {
  assert.ok(res && typeof res === "object", "check answered undefined");
  assert.ok(res.inputs && typeof res.inputs === "object" && !Array.isArray(res.inputs), "check answered without an inputs object");
  assert.equal(undefinedAt(res.inputs), undefined, "check's inputs hold undefined (the engine's wire format cannot)");
  for (const f of res.failures ?? []) {
    assert.equal(typeof f.reason, "string");
    assert.ok(f.reason.trim().length > 0, `a failure at ${f.property} gives no reason`);
    assert.ok(
      namesPropertyPath(f.property, input),
      `failure property ${JSON.stringify(f.property)} names no path into the input (reason: ${f.reason.slice(0, 120)})`,
    );
  }
}

describe("reliability: check under fuzzed input", function () {
  this.timeout(120_000);
  const rig = useReliabilityRig({ resetEachTest: false });

  function row(scenario: string, outcome: string, verdict: "pass" | "fail"): void {
    recordOutcome({ section: SECTION, scenario, outcome, verdict });
  }

  it(`never throws, never answers undefined, and names a property path in every failure (${IN_PROCESS_RUNS} inputs, in process)`, async () => {
    let failing = 0;
    let total = 0;
    try {
      await fc.assert(
        fc.asyncProperty(anyInputs, async (input) => {
          total += 1;
          const res = await check({}, input);
          if (res.failures?.length) failing += 1;
          assertGoodAnswer(input, res);
        }),
        { numRuns: IN_PROCESS_RUNS, seed: 20_250_501 },
      );
      row(
        `${IN_PROCESS_RUNS.toLocaleString("en-US")} generated inputs, in process`,
        `never threw; ${failing} rejected, each failure named a path; ${total - failing} accepted`,
        "pass",
      );
    } catch (err) {
      row(
        `${IN_PROCESS_RUNS.toLocaleString("en-US")} generated inputs, in process`,
        (err as Error).message.split("\n").find((l) => l.includes("Counterexample") || l.includes("failure")) ?? "failed",
        "fail",
      );
      throw err;
    }
  });

  it("passes unknown sentinels through untouched and never fails on them (2,000 inputs)", async () => {
    await fc.assert(
      fc.asyncProperty(withSentinels, async (input) => {
        const res = await check({}, input);
        assert.deepEqual(res.failures ?? [], [], `unknowns must not fail check: ${JSON.stringify(res.failures)}`);
        for (const [key, value] of Object.entries(input))
          if (UNKNOWNS.includes(value as string)) assert.equal(res.inputs[key], value, `${key} kept its sentinel`);
      }),
      { numRuns: 2_000, seed: 7 },
    );
    row("2,000 inputs with unknown sentinels", "accepted, sentinels passed through untouched", "pass");
  });

  it(`answers every fuzzed input over gRPC through the real host (${HOST_RUNS} inputs), and the host lives on`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyInputs, async (input) => {
        const news = { ...input, __provider: rig.providerText };
        rig.watch.scan("fuzz check request", news);
        const res = await rig.host.check(urn(`fuzz${n++}`), {}, news);
        rig.watch.scan("fuzz check response", res);
        // Own __proto__ keys do not survive protobuf's Struct, so the host sees the rest of the object.
        assertGoodAnswer(input, res);
      }),
      { numRuns: HOST_RUNS, seed: 42 },
    );
    const clean = await rig.host.check(
      urn("clean"),
      {},
      {
        integratedAccountId: "62f44730-dd91-461e-bd6a-aedd9e0ad79d",
        integration: "jumpcloud",
        userId: "u1",
        roles: [{ id: "r1" }],
        __provider: rig.providerText,
      },
    );
    assert.deepEqual(clean.failures, []);
    assert.deepEqual(
      Object.keys(clean.inputs).sort(),
      ["__provider", "integratedAccountId", "integration", "roles", "userId"],
      "nothing leaked into later inputs",
    );
    row(
      `${HOST_RUNS.toLocaleString("en-US")} generated inputs, through the host`,
      "every call answered; host still healthy; nothing polluted later inputs",
      "pass",
    );
  });

  it("names a visible path for an unknown empty key", async () => {
    let outcome = "did not finish";
    let verdict: "pass" | "fail" = "fail";
    try {
      const res = await check(
        {},
        {
          integratedAccountId: "62f44730-dd91-461e-bd6a-aedd9e0ad79d",
          integration: "jumpcloud",
          userId: "u1",
          roles: [{ id: "r1" }],
          "": 1,
        },
      );
      assert.equal(res.failures?.length, 1);
      assert.equal(res.failures![0].property, '[""]', "the failure names the empty key visibly");
      outcome = `reported at property ${res.failures![0].property}`;
      verdict = "pass";
    } catch (err) {
      outcome = (err as Error).message.split("\n")[0].slice(0, 160);
      throw err;
    } finally {
      row('an unknown empty key ""', outcome, verdict);
    }
  });

  it("shows the token nowhere the host could see it", () => rig.assertNoLeaks());
});
