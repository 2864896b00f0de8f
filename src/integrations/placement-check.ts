/**
 * The placement table (rules.ts) against how Truto itself describes a method: the JSON Schemas of its query
 * and body from Truto's meta endpoint. Pure: the request and its cache live in truto/method-meta.ts.
 */
import { placeField, type IntegrationRule, type Placement, type RequestField } from "./rules";

/** The two write methods whose placement the table decides. */
export type WriteMethod = "assign-role" | "unassign-role";

/** What the meta endpoint says about one method: the property names and required names of each place. */
export interface MethodDescription {
  query?: { properties: readonly string[]; required: readonly string[] };
  body?: { properties: readonly string[]; required: readonly string[] };
}

const FIELDS: readonly RequestField[] = ["id", "roles", "workspace_id", "organizations"];

// Query parameters Truto describes for every unified method; the table never sends them as fields of its own.
const TRUTO_PARAMETERS = new Set([
  "integrated_account_id",
  "truto_response_format",
  "truto_ignore_remote_data",
  "truto_exclude_fields",
  "remote_query",
  "remote_data",
]);

const where = { query: "the query string", body: "the request body" } as const;

function placementOf(rule: IntegrationRule, method: WriteMethod): Placement {
  return method === "assign-role" ? rule.assignRole : rule.unassignRole;
}

/**
 * Each disagreement between the table's row for `rule` and Truto's description of `method`, as a sentence
 * naming the field and both places; empty when they agree, or when Truto describes neither place.
 */
export function placementProblems(rule: IntegrationRule, method: WriteMethod, meta: MethodDescription): string[] {
  const { query, body } = meta;
  if (!query && !body) return [];
  const problems: string[] = [];
  const row = `the placement table's ${rule.slug} row (src/integrations/rules.ts)`;
  const placement = placementOf(rule, method);
  const sentIn = (f: string): ("query" | "body")[] => {
    const p = FIELDS.includes(f as RequestField) ? placeField(placement, f as RequestField) : "omit";
    return p === "both" ? ["query", "body"] : p === "omit" ? [] : [p];
  };
  const described = (place: "query" | "body", f: string) => (meta[place]?.properties ?? []).includes(f);
  for (const field of FIELDS) {
    const sent = sentIn(field);
    if (sent.length !== 1) continue;
    const [ours] = sent;
    const other = ours === "query" ? "body" : "query";
    if (!described(ours, field) && described(other, field)) {
      problems.push(`\`${field}\`: ${row} sends it in ${where[ours]}, but Truto's ${method} schema has it only in ${where[other]}`);
    }
  }
  for (const place of ["query", "body"] as const) {
    for (const field of meta[place]?.required ?? []) {
      if (TRUTO_PARAMETERS.has(field) || sentIn(field).includes(place)) continue;
      const sent = sentIn(field);
      const ours = sent.length ? `sends it only in ${where[sent[0]]}` : "never sends it";
      problems.push(`\`${field}\`: Truto's ${method} schema requires it in ${where[place]}, but ${row} ${ours}`);
    }
  }
  return problems;
}
