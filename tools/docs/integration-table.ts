/**
 * The README's table of where each field of `assign-role` and `unassign-role` goes, written from the rules
 * table (src/integrations/rules.ts) so the two cannot drift apart: `npm run docs:tables` rewrites the README
 * between its markers, and a unit test fails when they differ.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  INTEGRATIONS,
  RULES,
  placeField,
  type Placement,
  type RequestField,
  type Source,
  type Sources,
} from "../../src/integrations/rules";

export const TABLE_START = "<!-- placement-table:start (npm run docs:tables writes this table from src/integrations/rules.ts) -->";
export const TABLE_END = "<!-- placement-table:end -->";

const TAG: Record<Source, string> = {
  "unassign-role": "[1]",
  "unassign_role (older)": "[2]",
  "assign_role (older)": "[3]",
  inferred: "[i]",
};

const LEGEND = [
  "- [1] Truto's current [`unassign-role` page](https://truto.one/docs/api-reference/unified-user-directory-api/users/unassign-role) (the seed);",
  "- [2] the older [`unassign_role` page](https://truto.one/docs/api-reference/unified-user-directory-api/users/unassign_role);",
  "- [3] the older [`assign_role` page](https://truto.one/docs/api-reference/unified-user-directory-api/users/assign_role);",
  "- [i] inferred: no page says so.",
].join("\n");

const FIELDS: readonly RequestField[] = ["id", "roles", "workspace_id", "organizations"];

// The fields `placement` documents in one place, each with its need and where that comes from.
function place(placement: Placement, sources: Sources, where: "query" | "body"): string {
  const cells = FIELDS.filter((f) => placement[where][f]).map((f) => `\`${f}\` ${placement[where][f]} ${TAG[sources[f] ?? "inferred"]}`);
  return cells.join(", ") || "—";
}

// assign-role sends every identifying field in both places; what is documented is said apart.
function assignCell(placement: Placement, sources: Sources): string {
  const sent = FIELDS.filter((f) => placeField(placement, f) === "both");
  const documented = sent.filter((f) => sources[f] && sources[f] !== "inferred");
  const base = `${sent.map((f) => `\`${f}\``).join(", ")}: query and body ${TAG.inferred}`;
  if (documented.length === 0) return base;
  const bySource = documented.map((f) => `\`${f}\` required in the body ${TAG[sources[f] as Source]}`).join(", ");
  return `${base}; ${bySource}`;
}

/** The table, its legend and its markers, exactly as the README holds them. */
export function placementTable(): string {
  const rows = INTEGRATIONS.map((slug) => {
    const r = RULES[slug];
    return `| ${r.displayName} \`${slug}\` | ${place(r.unassignRole, r.sources.unassignRole, "query")} | ${place(r.unassignRole, r.sources.unassignRole, "body")} | ${assignCell(r.assignRole, r.sources.assignRole)} |`;
  });
  return [
    TABLE_START,
    "| integration | `unassign-role` query | `unassign-role` body | `assign-role` |",
    "|---|---|---|---|",
    ...rows,
    "",
    LEGEND,
    TABLE_END,
  ].join("\n");
}

/** The README with its table rewritten; throws when the markers are missing. */
export function withTable(readme: string): string {
  const from = readme.indexOf(TABLE_START);
  const to = readme.indexOf(TABLE_END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers.`);
  return readme.slice(0, from) + placementTable() + readme.slice(to + TABLE_END.length);
}

if (require.main === module) {
  const path = join(__dirname, "..", "..", "README.md");
  writeFileSync(path, withTable(readFileSync(path, "utf8")));
  process.stdout.write("README.md: per-integration placement table written from src/integrations/rules.ts\n");
}
