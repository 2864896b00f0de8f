/**
 * What Truto's meta endpoint answers for a unified method, built from the sandbox's own rules (truto-rules.ts),
 * never from the client's table. Truto's meta endpoint answers `query_schema`, `request_body_schema`,
 * `response_schema`, `default_query` and `default_body` for a method (truto-api-notes §3.3, from Truto's
 * unified-api notes in https://github.com/trutohq/truto-skills and the TypeScript SDK's `unifiedApi.meta`); whether
 * Truto describes custom methods such as unassign-role there is not documented, so the admin API can make it
 * disagree or be absent.
 */
import type { FieldName, IntegrationRules, MethodRules, Place } from "./truto-rules";

/** The methods the sandbox describes. */
export const META_METHODS = ["assign-role", "unassign-role"] as const;

/** One of {@link META_METHODS}. */
export type MetaMethod = (typeof META_METHODS)[number];

export function isMetaMethod(name: string): name is MetaMethod {
  return (META_METHODS as readonly string[]).includes(name);
}

/** A JSON Schema object with its fields and which of them are required. */
export interface ObjectSchema {
  type: "object";
  properties: Record<string, unknown>;
  required: string[];
}

/** The meta answer for one method. */
export interface MethodMeta {
  query_schema: ObjectSchema;
  request_body_schema: ObjectSchema;
  response_schema: ObjectSchema;
  default_query: Record<string, never>;
  default_body: Record<string, never>;
}

const text = (description: string) => ({ type: "string", description });

// A role as the role methods take it: `id` required, the rest as the unassign-role page lists its sub-fields.
const ROLE = {
  type: "object",
  properties: {
    id: text("The unique identifier of the role"),
    name: text("The name of the role"),
    group: text("The group the role is held in"),
    organization: text("The organization the role is held in"),
    workspace: text("The workspace the role is held in"),
  },
  required: ["id"],
};

// The descriptions are the docs' own where the reference notes record them (§1.1: workspace_id's reads "a group").
const FIELDS: Record<FieldName, unknown> = {
  id: text("The unique identifier for a user"),
  roles: { type: "array", description: "The roles", items: ROLE },
  workspace_id: text("The unique identifier for a group."),
  organizations: {
    type: "array",
    description: "The organizations of the user",
    items: {
      type: "object",
      properties: { id: text("The unique identifier of the organization"), name: text("The name") },
      required: ["id"],
    },
  },
};

// A field read from `place` is one of its properties; it is required there only when the rules require it
// there. A field accepted in either place ("either") is a property of both and required in neither.
function placeSchema(rules: MethodRules, place: Place): ObjectSchema {
  const schema: ObjectSchema = { type: "object", properties: {}, required: [] };
  for (const [name, rule] of Object.entries(rules) as [FieldName, NonNullable<MethodRules[FieldName]>][]) {
    if (!rule.from.includes(place)) continue;
    schema.properties[name] = structuredClone(FIELDS[name]);
    if (rule.required === place) schema.required.push(name);
  }
  return schema;
}

// Custom methods answer {result: {id, roles}} (role-routes.ts).
const RESPONSE: ObjectSchema = {
  type: "object",
  properties: {
    result: {
      type: "object",
      properties: { id: FIELDS.id, roles: { type: "array", items: { ...ROLE, required: ["id", "name"] } } },
      required: ["id", "roles"],
    },
  },
  required: ["result"],
};

/** What GET …/meta/{method} answers for an integration with these rules. */
export function describeMethod(rules: IntegrationRules, method: MetaMethod): MethodMeta {
  const fields = method === "assign-role" ? rules.assign : rules.unassign;
  return {
    query_schema: placeSchema(fields, "query"),
    request_body_schema: placeSchema(fields, "body"),
    response_schema: structuredClone(RESPONSE),
    default_query: {},
    default_body: {},
  };
}
