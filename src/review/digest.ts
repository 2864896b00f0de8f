/**
 * Reads the document `pulumi preview --json` prints (a PreviewDigest, pkg/display/json.go) into the few
 * fields the review needs, validating the outline once so everything after it can trust its types.
 *
 * Unknown keys are kept out of the way rather than rejected: the digest has no schema version and
 * grows fields between releases.
 */
import { z } from "zod";
import { EXPECTED_INPUT, ReviewErrorCodes, ReviewInputError } from "./errors";

const propertyMap = z.record(z.string(), z.unknown());

// Only the fields the review reads are checked; the rest of apitype.ResourceV3 passes through untouched.
const stateSchema = z.looseObject({
  type: z.string().optional(),
  delete: z.boolean().optional(),
  pendingReplacement: z.boolean().optional(),
  inputs: propertyMap.optional(),
  outputs: propertyMap.optional(),
});

const stepSchema = z.looseObject({
  op: z.string(),
  urn: z.string().startsWith("urn:pulumi:", { error: "expected a Pulumi URN (urn:pulumi:…)" }),
  oldState: stateSchema.optional(),
  newState: stateSchema.optional(),
  replaceReasons: z.array(z.string()).nullish(),
});

const diagnosticSchema = z.looseObject({
  urn: z.string().optional(),
  message: z.string().optional(),
  severity: z.string().optional(),
});

// Only what the review reads is validated; `config`, `duration` and `changeSummary` are not needed
// (a dynamic resource's change is worked out from its states, not from the counts).
const digestSchema = z.looseObject({
  steps: z.array(stepSchema).nullish(),
  diagnostics: z.array(diagnosticSchema).nullish(),
});

/** One resource state (`oldState` / `newState`) as far as the review reads it. */
export type PreviewState = z.infer<typeof stateSchema>;

/** One step of the preview: what the engine plans to do to one resource. */
export type PreviewStep = z.infer<typeof stepSchema>;

/** One diagnostic (error, warning or info message) of the preview. */
export type PreviewDiagnostic = z.infer<typeof diagnosticSchema>;

/** The digest with `steps` and `diagnostics` always present. */
export interface PreviewDigest {
  readonly steps: readonly PreviewStep[];
  readonly diagnostics: readonly PreviewDiagnostic[];
}

const DIGEST_KEYS = ["config", "steps", "diagnostics", "duration", "changeSummary"];

/** Validates `json` as a preview digest, or throws a {@link ReviewInputError} that says what is wrong and where. */
export function readDigest(json: unknown): PreviewDigest {
  const { steps, diagnostics } = parseDigest(json);
  if (steps.length === 0) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    if (errors > 0) {
      throw new ReviewInputError(
        ReviewErrorCodes.previewFailed,
        `The preview failed before planning any step (${errors} error diagnostic${errors === 1 ? "" : "s"}); ` +
          "fix the errors `pulumi preview` reports, then run the review on its new output.",
      );
    }
  }
  return { steps, diagnostics };
}

/** Like {@link readDigest}, but a digest without steps is returned too: the caller reports the failed preview. */
export function parseDigest(json: unknown): PreviewDigest {
  rejectOtherFormats(json);
  const parsed = digestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? formatPath(issue.path) : "the document";
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : "";
    throw new ReviewInputError(
      ReviewErrorCodes.badShape,
      `The preview JSON has an unexpected shape at ${where}: ${issue?.message ?? "invalid"}${more}; ${EXPECTED_INPUT}.`,
      { cause: parsed.error },
    );
  }
  return { steps: parsed.data.steps ?? [], diagnostics: parsed.data.diagnostics ?? [] };
}

// Other JSON that Pulumi prints looks close enough to be fed in by mistake; naming it saves a search.
function rejectOtherFormats(json: unknown): void {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`;
    throw new ReviewInputError(ReviewErrorCodes.badShape, `The input is ${got}; ${EXPECTED_INPUT} (an object with \`steps\`).`);
  }
  const keys = Object.keys(json);
  if (keys.includes("sequence") && keys.includes("timestamp")) {
    throw new ReviewInputError(
      ReviewErrorCodes.wrongFormat,
      "The input is a stream of engine events (from `pulumi up --json` or PULUMI_ENABLE_STREAMING_JSON_PREVIEW); " +
        `${EXPECTED_INPUT}: run \`pulumi preview --json\` without that variable.`,
    );
  }
  if (keys.includes("resources") && keys.includes("summary") && !keys.includes("steps")) {
    throw new ReviewInputError(
      ReviewErrorCodes.wrongFormat,
      "The input is the one-line `--output json` summary, which carries no resource states; " + `${EXPECTED_INPUT} instead.`,
    );
  }
  if (!keys.some((k) => DIGEST_KEYS.includes(k))) {
    const hint =
      keys.length === 0
        ? "it is an empty object, which `pulumi preview` prints when it fails early (check its stderr)"
        : `its keys are ${keys
            .slice(0, 5)
            .map((k) => JSON.stringify(k))
            .join(", ")}`;
    throw new ReviewInputError(
      ReviewErrorCodes.badShape,
      `The input is not a preview digest: ${hint}; ${EXPECTED_INPUT} (an object with \`steps\`).`,
    );
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "the top level";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}
