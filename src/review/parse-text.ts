/**
 * Turns the text of a preview file or stdin into JSON, with messages that say what was expected and
 * what probably went wrong (a failed preview, captured stderr, the streaming format).
 */
import { EXPECTED_INPUT, ReviewErrorCodes, ReviewInputError } from "./errors";

/** Parses `text` read from `source` (a file name or "stdin"), or throws a {@link ReviewInputError}. */
export function parsePreviewText(text: string, source: string): unknown {
  const body = text.replace(/^\uFEFF/, "").trim();
  if (body === "") {
    throw new ReviewInputError(
      ReviewErrorCodes.notJson,
      `${source} is empty; ${EXPECTED_INPUT}. If the preview failed, fix the errors it printed on stderr first.`,
    );
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    if (looksLikeEventStream(body)) {
      throw new ReviewInputError(
        ReviewErrorCodes.wrongFormat,
        `${source} holds one JSON engine event per line (from \`pulumi up --json\` or PULUMI_ENABLE_STREAMING_JSON_PREVIEW); ` +
          `${EXPECTED_INPUT}: run \`pulumi preview --json\` without that variable.`,
        { cause: err },
      );
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new ReviewInputError(
      ReviewErrorCodes.notJson,
      `${source} is not JSON (${detail}); ${EXPECTED_INPUT}. ` +
        "Capture stdout only (`pulumi preview --json > preview.json`), not the text display or stderr.",
      { cause: err },
    );
  }
}

// Only the first line is inspected: enough to recognise the format without parsing a large stream.
function looksLikeEventStream(body: string): boolean {
  const firstLine = body.slice(0, body.indexOf("\n") === -1 ? body.length : body.indexOf("\n"));
  try {
    const first = JSON.parse(firstLine) as unknown;
    return typeof first === "object" && first !== null && "sequence" in first && "timestamp" in first;
  } catch {
    return false;
  }
}
