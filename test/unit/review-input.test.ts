import { strict as assert } from "node:assert";
import {
  EXPECTED_INPUT,
  parsePreviewText,
  renderMarkdown,
  ReviewErrorCodes,
  ReviewInputError,
  summarizePreview,
  type ReviewErrorCode,
  UNKNOWN_VALUE,
} from "../../src/review";
import { loadPreview, readPreviewText, stepOf } from "../fixtures/preview/load";

function expectInputError(run: () => unknown, code: ReviewErrorCode, ...fragments: string[]): ReviewInputError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ReviewInputError, `expected a ReviewInputError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const fragment of fragments) assert.ok(caught.message.includes(fragment), `"${caught.message}" lacks "${fragment}"`);
  return caught;
}

describe("review: malformed input", () => {
  describe("parsePreviewText", () => {
    it("parses the fixture text exactly as Pulumi prints it (4-space indent, \\u003e escapes)", () => {
      const text = readPreviewText("grants-only.json");
      assert.ok(text.includes("=\\u003e"), "the fixture keeps Go's HTML escaping");
      const json = parsePreviewText(`\uFEFF${text}`, "preview.json") as { steps: unknown[] };
      assert.equal(json.steps.length, 3);
    });

    it("rejects empty input and says what it expected", () => {
      expectInputError(() => parsePreviewText(" \n", "stdin"), ReviewErrorCodes.notJson, "stdin is empty", EXPECTED_INPUT);
    });

    it("rejects the text display with a hint to capture stdout of --json", () => {
      const text = "Previewing update (dev)\n\n     Type                 Name        Plan\n +   pulumi:pulumi:Stack  access-dev  create\n";
      expectInputError(
        () => parsePreviewText(text, "preview.txt"),
        ReviewErrorCodes.notJson,
        "preview.txt is not JSON",
        EXPECTED_INPUT,
        "pulumi preview --json > preview.json",
      );
    });

    it("recognises the streaming engine-event format", () => {
      const text =
        '{"sequence":0,"timestamp":1789897840,"preludeEvent":{"config":{}}}\n{"sequence":1,"timestamp":1789897841,"summaryEvent":{}}\n';
      expectInputError(() => parsePreviewText(text, "events.json"), ReviewErrorCodes.wrongFormat, "PULUMI_ENABLE_STREAMING_JSON_PREVIEW");
    });
  });

  describe("summarizePreview", () => {
    it("rejects values that are not a digest object", () => {
      expectInputError(() => summarizePreview([]), ReviewErrorCodes.badShape, "an array", EXPECTED_INPUT);
      expectInputError(() => summarizePreview(null), ReviewErrorCodes.badShape, "null");
      expectInputError(() => summarizePreview("steps"), ReviewErrorCodes.badShape, "a string");
      expectInputError(() => summarizePreview(42), ReviewErrorCodes.badShape, "a number");
    });

    it("explains the empty object a failed preview prints", () => {
      expectInputError(() => summarizePreview({}), ReviewErrorCodes.badShape, "empty object", "stderr");
    });

    it("names other JSON documents Pulumi prints", () => {
      expectInputError(
        () => summarizePreview({ sequence: 3, timestamp: 1789897840, resourcePreEvent: {} }),
        ReviewErrorCodes.wrongFormat,
        "engine events",
      );
      expectInputError(
        () => summarizePreview({ result: "succeeded", duration: 12, summary: { create: 1 }, resources: [] }),
        ReviewErrorCodes.wrongFormat,
        "--output json",
      );
      expectInputError(() => summarizePreview({ name: "x", version: "1" }), ReviewErrorCodes.badShape, '"name", "version"');
    });

    it("points at the field with the wrong shape", () => {
      const digest = loadPreview("grants-only.json");
      delete (digest.steps[1] as { urn?: string }).urn;
      expectInputError(() => summarizePreview(digest), ReviewErrorCodes.badShape, "steps[1].urn", EXPECTED_INPUT);
      expectInputError(() => summarizePreview({ steps: {} }), ReviewErrorCodes.badShape, "steps");
      expectInputError(
        () => summarizePreview({ steps: [{ op: "create", urn: "not-a-urn" }] }),
        ReviewErrorCodes.badShape,
        "steps[0].urn",
        "urn:pulumi:",
      );
      expectInputError(
        () => summarizePreview({ steps: [{ op: 1, urn: "urn:pulumi:a::b::t::n" }] }),
        ReviewErrorCodes.badShape,
        "steps[0].op",
      );
    });

    it("reports a preview that failed before planning any step", () => {
      const failed = { diagnostics: [{ message: "error: boom\n", severity: "error" }], duration: 5 };
      expectInputError(() => summarizePreview(failed), ReviewErrorCodes.previewFailed, "1 error diagnostic");
    });

    it("accepts a digest without steps when nothing failed", () => {
      const review = summarizePreview({ duration: 5, changeSummary: {} });
      assert.equal(review.hasAccessChange, false);
    });

    it("reports RoleAssignment inputs in an unexpected shape as unreadable instead of crashing", () => {
      const digest = loadPreview("grants-only.json");
      const inputs = stepOf(digest, "slack-ada-t0456eng").newState?.inputs as Record<string, unknown>;
      inputs.roles = [null, { name: "no id" }, { id: 7 }, { id: "Rl0A", group: ["g"] }, "Rl0B"];
      inputs.userId = 12345;
      const linus = stepOf(digest, "jumpcloud-linus").newState as Record<string, unknown>;
      linus.inputs = { roles: { id: "x" } };
      const review = summarizePreview(digest);
      const byName = new Map(review.unresolved.map((u) => [u.resource, u.values.map((v) => `${v.path}:${v.reason}`)]));
      assert.deepEqual(byName.get("slack-ada-t0456eng"), [
        "roles[0]:unreadable",
        "roles[1].id:unreadable",
        "roles[2].id:unreadable",
        "roles[3].group:unreadable",
        "roles[4]:unreadable",
        "userId:unreadable",
      ]);
      assert.deepEqual(byName.get("jumpcloud-linus"), [
        "integratedAccountId:unreadable",
        "integration:unreadable",
        "roles:unreadable",
        "userId:unreadable",
      ]);
      const md = renderMarkdown(review);
      assert.ok(md.includes("#### Unreadable values"), md);
      assert.ok(
        md.includes(
          "#### _a user whose id is unreadable_ · Slack Enterprise\n- ➕ grants **Channel Manager** (`Rl0A`) in workspace `T0456ENG` and an unreadable scope\n",
        ),
        md,
      );
      assert.ok(
        md.includes(
          "): `roles[0]`, `roles[1].id`, `roles[2].id`, `roles[3].group`, `roles[4]` and `userId` are not in the shape this resource writes.",
        ),
        md,
      );
    });

    it("lists at most six hidden paths per resource", () => {
      const digest = loadPreview("grants-only.json");
      const inputs = stepOf(digest, "jumpcloud-linus").newState?.inputs as Record<string, unknown>;
      inputs.roles = Array.from({ length: 8 }, () => ({ id: UNKNOWN_VALUE }));
      const md = renderMarkdown(summarizePreview(digest));
      assert.ok(
        md.includes(
          ": `roles[0].id`, `roles[1].id`, `roles[2].id`, `roles[3].id`, `roles[4].id`, `roles[5].id` and 2 more are known only at `pulumi up`.",
        ),
        md,
      );
    });
  });
});
