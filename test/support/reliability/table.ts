/**
 * The reliability suite's results as tables: every scenario records what it observed, and
 * `npm run test:reliability` prints them (scenario × outcome) when the run ends.
 */

/** The tables, in the order they are printed. */
export const SECTIONS = {
  faults: "Faults × operations (real provider host, sandbox faults)",
  partial: "Partial failures (multi-role create and update)",
  crash: "Crash and restart",
  concurrent: "A concurrent run (200 assignments, concurrency 16, ~10% transient failures, 50 req/10 s per account and 500 per token)",
  input: "Bad input (check fuzzed with fast-check)",
  secrets: "Secrets and injection",
} as const;

/** How a scenario ended against its written expectation. */
export type Verdict = "pass" | "fail";

/** One observed outcome of one scenario. */
export interface OutcomeRow {
  /** The table it belongs in. */
  section: (typeof SECTIONS)[keyof typeof SECTIONS];
  /** The row, e.g. "429, Retry-After: 1". */
  scenario: string;
  /** The column in a matrix section (e.g. the operation); absent for a two-column section. */
  column?: string;
  /** Who the row is about when it differs between subjects (e.g. the integration). */
  subject?: string;
  /** What happened, in a few words. */
  outcome: string;
  verdict: Verdict;
}

const rows: OutcomeRow[] = [];

/** Adds one observed outcome to the tables. */
export function recordOutcome(row: OutcomeRow): void {
  rows.push(row);
}

/**
 * Runs one scenario and records its row: the outcome `run` describes when it passes, or the first line
 * of its error (re-thrown) when it fails.
 */
export async function recordRun(
  section: OutcomeRow["section"],
  scenario: string,
  run: () => Promise<string>,
  subject?: string,
): Promise<void> {
  let outcome = "did not finish";
  let verdict: "pass" | "fail" = "fail";
  try {
    outcome = await run();
    verdict = "pass";
  } catch (err) {
    outcome = (err as Error).message.split("\n")[0].slice(0, 160);
    throw err;
  } finally {
    recordOutcome({ section, scenario, subject, outcome, verdict });
  }
}

function cell(row: OutcomeRow): string {
  return row.verdict === "pass" ? row.outcome : `FAILED: ${row.outcome}`;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

// A matrix: one line per scenario, or per scenario and subject where the subjects' outcomes differ.
function matrix(section: OutcomeRow[]): string {
  const columns = unique(section.map((r) => r.column ?? ""));
  const lines: string[][] = [];
  for (const scenario of unique(section.map((r) => r.scenario))) {
    const mine = section.filter((r) => r.scenario === scenario);
    const subjects = unique(mine.map((r) => r.subject ?? ""));
    const sameEverywhere = columns.every((c) => unique(mine.filter((r) => (r.column ?? "") === c).map(cell)).length <= 1);
    const groups = sameEverywhere ? [undefined] : subjects;
    for (const subject of groups) {
      const label = subject === undefined ? scenario : `${scenario} (${subject})`;
      lines.push([
        label,
        ...columns.map((c) => {
          const hit = mine.find((r) => (r.column ?? "") === c && (subject === undefined || (r.subject ?? "") === subject));
          return hit ? cell(hit) : "";
        }),
      ]);
    }
  }
  return table(["scenario", ...columns], lines);
}

/** Renders the recorded outcomes as one table per section. */
export function renderOutcomes(all: readonly OutcomeRow[] = rows): string {
  const out: string[] = [];
  for (const section of Object.values(SECTIONS).filter((s) => all.some((r) => r.section === s))) {
    const mine = all.filter((r) => r.section === section);
    out.push(`\n${section}\n`);
    if (mine.some((r) => r.column !== undefined)) out.push(matrix(mine));
    else
      out.push(
        table(
          ["scenario", "outcome"],
          mine.map((r) => [r.subject ? `${r.scenario} (${r.subject})` : r.scenario, cell(r)]),
        ),
      );
  }
  const counts = { pass: 0, fail: 0 };
  for (const r of all) counts[r.verdict] += 1;
  out.push(`\n${all.length} outcomes: ${counts.pass} as expected, ${counts.fail} failed.\n`);
  return out.join("\n");
}
