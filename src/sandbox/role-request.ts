import { missingFieldsError, trutoError, type MissingFields } from "./errors";
import type { FieldName, MethodRules, Place } from "./truto-rules";

/** One role as a request names it; only `id` is needed, scope hints are optional. */
export interface RoleRef {
  id: string;
  workspace?: string;
  organization?: string;
  /** Read so it can be refused: no integration the sandbox models holds roles per group. */
  group?: string;
}

/** The identifying fields of an assign-role or unassign-role request, read where the rules say. */
export interface RoleRequest {
  userId?: string;
  roles: RoleRef[];
  workspaceId?: string;
  organizationIds?: string[];
}

type Fields = Record<string, unknown>;

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

// qs turns indices above 20 (roles[21][id]) into object keys; read such an object as the list it meant.
function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((key) => (value as Fields)[key]);
    }
  }
  return undefined;
}

function roleHasId(role: unknown): boolean {
  return role !== null && typeof role === "object" && isPresent((role as Fields).id);
}

interface Picked {
  value: unknown;
  place: Place;
}

/**
 * Reads the fields a method's rules list, in the places they list. Missing required fields become
 * Truto's 400 with `truto_error_insight`; a value of the wrong type becomes a plain 400.
 */
export function readRoleRequest(methodName: string, label: string, rules: MethodRules, query: Fields, body: Fields): RoleRequest {
  const sources: Record<Place, Fields> = { query, body };
  const missing: MissingFields = { query: [], body: [] };
  const picked: Partial<Record<FieldName, Picked>> = {};
  for (const [name, rule] of Object.entries(rules) as [FieldName, NonNullable<MethodRules[FieldName]>][]) {
    if (rule.required !== undefined) {
      const places: Place[] = rule.required === "either" ? ["query", "body"] : [rule.required];
      if (!places.some((place) => isPresent(sources[place][name]))) {
        missing[rule.required === "query" ? "query" : "body"].push(name);
      }
    }
    const place = rule.from.find((candidate) => isPresent(sources[candidate][name]));
    if (place !== undefined) picked[name] = { value: sources[place][name], place };
  }
  const roles = picked.roles;
  // Each role sent must have its id (roles[].id is REQUIRED wherever the docs list roles), supported or required.
  if (roles && rules.roles !== undefined) {
    const list = asList(roles.value);
    if (list && !list.every(roleHasId)) missing[roles.place].push("roles[].id");
  }
  if (missing.query.length > 0 || missing.body.length > 0) throw missingFieldsError(methodName, label, missing);
  return {
    userId: picked.id && oneString(picked.id, "id"),
    roles: picked.roles ? roleList(picked.roles) : [],
    workspaceId: picked.workspace_id && oneString(picked.workspace_id, "workspace_id"),
    organizationIds: picked.organizations && organizationList(picked.organizations),
  };
}

function oneString(picked: Picked, name: string): string {
  const { value, place } = picked;
  if (typeof value === "string") return value;
  if (typeof value === "number" && place === "body") return String(value);
  if (Array.isArray(value)) {
    throw trutoError(400, `${place} field ${name} must be one string, but it was sent ${value.length} times.`);
  }
  throw trutoError(400, `${place} field ${name} must be a string, but it is ${JSON.stringify(value)}.`);
}

function roleList(picked: Picked): RoleRef[] {
  const list = asList(picked.value);
  if (!list) {
    throw trutoError(400, `${picked.place} field roles must be a list of objects like [{"id": "..."}].`);
  }
  return list.map((role, index) => {
    if (role === null || typeof role !== "object" || Array.isArray(role)) {
      throw trutoError(400, `${picked.place} field roles[${index}] must be an object with an id, like {"id": "..."}.`);
    }
    const fields = role as Fields;
    if (Array.isArray(fields.id)) {
      // qs reads roles[][id]=A&roles[][id]=B as one role whose id is [A, B].
      throw trutoError(
        400,
        `${picked.place} field roles[${index}].id holds ${fields.id.length} values. ` +
          "To send several roles in a query string, index them: roles[0][id]=A&roles[1][id]=B.",
      );
    }
    const ref: RoleRef = { id: oneString({ value: fields.id, place: picked.place }, `roles[${index}].id`) };
    if (isPresent(fields.workspace))
      ref.workspace = oneString({ value: fields.workspace, place: picked.place }, `roles[${index}].workspace`);
    if (isPresent(fields.organization)) {
      ref.organization = oneString({ value: fields.organization, place: picked.place }, `roles[${index}].organization`);
    }
    if (isPresent(fields.group)) ref.group = oneString({ value: fields.group, place: picked.place }, `roles[${index}].group`);
    return ref;
  });
}

function organizationList(picked: Picked): string[] {
  const list = asList(picked.value);
  if (!list) {
    throw trutoError(400, `${picked.place} field organizations must be a list of objects like [{"id": "..."}].`);
  }
  return list.map((organization, index) => {
    const id = organization !== null && typeof organization === "object" ? (organization as Fields).id : undefined;
    if (!isPresent(id)) {
      throw trutoError(400, `${picked.place} field organizations[${index}] must be an object with an id, like {"id": "..."}.`);
    }
    return oneString({ value: id, place: picked.place }, `organizations[${index}].id`);
  });
}
