/**
 * `check`: validates a RoleAssignment's inputs once, at the edge, and normalises them (trimmed, roles in a
 * stable order) so reordering is never a diff. This file holds the schema and the normalisation; the rules that
 * depend on the integration are in integration-checks.ts. Values that are still unknown during preview pass
 * through untouched and unvalidated.
 */
import { z } from "zod";
import { INTEGRATIONS } from "../integrations/rules";
import { roleKey, sortRoles, strip, type Organization, type Role } from "../integrations/grants";
import { MAX_ROLES_PER_RESOURCE } from "../truto/request-size";
import { containsUnknown, isUnknown, UNKNOWN_SENTINELS } from "./unknowns";
import { didYouMean } from "./did-you-mean";
import { crossFieldFailures, known, withoutRedundantScope } from "./integration-checks";
import { canonicalInstant, effectiveExpiry, EXPIRY_EXAMPLE } from "./expiry";

/**
 * The longest role id (and role organization, workspace or group id), in characters: every write repeats it
 * in its query string, and a role must fit one request whatever else is split (see request-size.ts).
 */
export const MAX_ROLE_ID_LENGTH = 256;

export { MAX_ROLES_PER_RESOURCE };

/** The plain inputs of a RoleAssignment, after check (what the provider's methods receive). */
export interface RoleAssignmentInputs {
  integratedAccountId: string;
  integration: string;
  userId: string;
  workspaceId?: string;
  organizations?: Organization[];
  roles: Role[];
  /** When every role without an `expiresAt` of its own expires (canonical ISO 8601, UTC); see expiry.ts. */
  expiresAt?: string;
  remoteData?: Record<string, unknown>;
  remoteQuery?: Record<string, unknown>;
  /** What destroy does: `revoke` (the default) every declared role, or `restore` the roles held before this resource claimed them. */
  onDelete?: OnDelete;
  /** Lets a revoke leave a protected role with no holder in its scope (the last-holder guard's override). */
  allowLastHolder?: boolean;
  /** The resource's Pulumi name, set by the RoleAssignment class; only a label in messages, never a change. */
  resourceName?: string;
}

/** What destroy does with the declared roles; see {@link RoleAssignmentInputs.onDelete}. */
export type OnDelete = "revoke" | "restore";

/** The values `onDelete` takes; the first is the default. */
export const ON_DELETE = ["revoke", "restore"] as const satisfies readonly OnDelete[];

/** A failure as Pulumi shows it: the property path and what to do. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** The input property names, in the order the README documents them. */
export const INPUT_KEYS = [
  "integratedAccountId",
  "integration",
  "userId",
  "workspaceId",
  "organizations",
  "roles",
  "expiresAt",
  "remoteData",
  "remoteQuery",
  "onDelete",
  "allowLastHolder",
  "resourceName",
] as const;

const ROLE_KEYS = ["id", "name", "group", "organization", "workspace", "expiresAt"] as const;
const ORG_KEYS = ["id", "name"] as const;
const DANGEROUS_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Lets a Pulumi unknown sentinel through untouched; validates anything else with `schema`. */
function orUnknown<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value, ctx): z.output<T> => {
    if (isUnknown(value)) return value as z.output<T>;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never);
    return z.NEVER;
  });
}

// `what` opens each message; for a top-level input it is what the value is ("the user's id in the app"),
// not the property's name, which Pulumi prints beside the reason already.
const text = (what: string, max = 1024, why = "") =>
  z
    .string({ error: (i) => (i.input === undefined ? `required: ${what}` : `must be a string: ${what}, not ${describeValue(i.input)}`) })
    .trim()
    .min(1, `${what} must not be empty or blank`)
    .max(max, { error: (i) => `${what} is ${String(i.input).length} characters long; at most ${max} are allowed${why}` });

// An instant with an explicit offset, normalised so that formatting ("+00:00" or "Z", with or without
// seconds) is never a diff.
const instant = z.string({ error: `must be an ISO 8601 date and time with an offset, e.g. "${EXPIRY_EXAMPLE}"` }).transform((v, ctx) => {
  const canonical = canonicalInstant(v);
  if (canonical !== undefined) return canonical;
  ctx.addIssue({
    code: "custom",
    message: `${JSON.stringify(v)} is not an ISO 8601 date and time with an offset; write it like "${EXPIRY_EXAMPLE}" (or "2026-12-08T18:00:00+01:00")`,
  });
  return z.NEVER;
});

// A role's id and scope travel in every write's query string and body, once per role.
const onTheWire = `, since it travels in the query string of every request`;

/** A value as a message names it: its JSON, cut short, or its kind. */
function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

const RoleSchema = z.strictObject(
  {
    id: orUnknown(text("the role id", MAX_ROLE_ID_LENGTH, onTheWire)),
    name: orUnknown(text("the role name")).optional(),
    group: orUnknown(text("the group", MAX_ROLE_ID_LENGTH, onTheWire)).optional(),
    organization: orUnknown(text("the organization id", MAX_ROLE_ID_LENGTH, onTheWire)).optional(),
    workspace: orUnknown(text("the workspace id", MAX_ROLE_ID_LENGTH, onTheWire)).optional(),
    expiresAt: orUnknown(instant).optional(),
  },
  { error: (i) => `each role must be an object such as { id: "Rl0A" }, not ${describeValue(i.input)}` },
);

const Org = z.strictObject(
  {
    id: orUnknown(text("the organization id")),
    name: orUnknown(text("the organization name")).optional(),
  },
  { error: (i) => `each organization must be an object such as { id: "4201839311" }, not ${describeValue(i.input)}` },
);

// Keys such as __proto__ are rejected before parsing (dangerousKeyFailures), at any depth.
const plainRecord = (what: string) => z.record(z.string(), z.unknown(), { error: `${what} must be an object of key/value pairs` });

const Inputs = z.strictObject({
  integratedAccountId: orUnknown(
    z
      .string({
        error: (i) =>
          i.input === undefined
            ? "required: the integrated account's UUID, as shown in Truto"
            : `must be a string: the integrated account's UUID, not ${describeValue(i.input)}`,
      })
      .trim()
      .pipe(z.uuid({ error: "must be the integrated account's UUID, as shown in Truto (e.g. 62f44730-dd91-461e-bd6a-aedd9e0ad79d)" })),
  ),
  integration: orUnknown(text(`the integration's slug (${INTEGRATIONS.join(", ")})`)),
  userId: orUnknown(
    text("the user's id in the app").refine(
      (v) => v !== "." && v !== "..",
      'userId cannot be "." or "..": Truto addresses users by URL path, where these resolve as relative paths',
    ),
  ),
  workspaceId: orUnknown(text('the Slack workspace (team) id, e.g. "T0123ABCD"')).optional(),
  organizations: orUnknown(z.array(orUnknown(Org)).min(1, "give at least one organization, or leave organizations out")).optional(),
  roles: orUnknown(
    z
      .array(orUnknown(RoleSchema), { error: "roles must be a list of { id } objects" })
      .min(1, "give at least one role; to revoke every role, delete the resource")
      .max(MAX_ROLES_PER_RESOURCE, {
        error: (i) =>
          `lists ${(i.input as unknown[]).length} roles; one resource holds at most ${MAX_ROLES_PER_RESOURCE}: Slack Enterprise sends a request per role, ` +
          `and ${MAX_ROLES_PER_RESOURCE} keep a resource's writes within one window of Truto's rate limit and its record in state small; split the roles across resources`,
      }),
  ),
  expiresAt: orUnknown(instant).optional(),
  remoteData: orUnknown(plainRecord("remoteData")).optional(),
  remoteQuery: orUnknown(plainRecord("remoteQuery")).optional(),
  onDelete: orUnknown(
    z.enum(ON_DELETE, {
      error: (i) =>
        `onDelete must be "revoke" (destroy revokes every declared role) or "restore" (destroy revokes only the roles this resource granted, and leaves the roles the user already held), not ${JSON.stringify(i.input)}`,
    }),
  ).optional(),
  allowLastHolder: orUnknown(
    z.boolean({
      error: (i) =>
        `allowLastHolder must be true (a revoke may leave a protected role with no holder in its scope) or false (the default: it may not), not ${JSON.stringify(i.input)}`,
    }),
  ).optional(),
  resourceName: orUnknown(text("the resource's name")).optional(),
});

/** Formats a zod path as Pulumi property paths read: `roles[1].id`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (String(p) === "")
      out += `[""]`; // an empty key must still show where it is
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function allowedKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return INPUT_KEYS;
  if (path[0] === "roles") return ROLE_KEYS;
  if (path[0] === "organizations") return ORG_KEYS;
  return [];
}

function failuresFrom(error: z.ZodError): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(issue.path);
      for (const key of issue.keys) {
        const guess = didYouMean(key, allowed);
        out.push({
          property: propertyPath([...issue.path, key]),
          reason: `unknown property "${key}"${guess ? `; did you mean "${guess}"?` : "."} Allowed here: ${allowed.join(", ")}.`,
        });
      }
      continue;
    }
    const property = propertyPath(issue.path) || "(inputs)";
    out.push({ property, reason: issue.message.endsWith(".") ? issue.message : `${issue.message}.` });
  }
  return out;
}

function normalise(v: z.output<typeof Inputs>): Record<string, unknown> {
  const roles = v.roles;
  const sortable = Array.isArray(roles) && !containsUnknown(roles);
  const orgs = v.organizations;
  return strip({
    integratedAccountId: isUnknown(v.integratedAccountId) ? v.integratedAccountId : (v.integratedAccountId as string).toLowerCase(),
    integration: v.integration,
    userId: v.userId,
    workspaceId: v.workspaceId,
    organizations:
      Array.isArray(orgs) && !containsUnknown(orgs)
        ? [...(orgs as Organization[])].map((o) => strip(o)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        : orgs,
    roles: sortable
      ? sortRoles((roles as Role[]).map((r) => strip(r)))
      : Array.isArray(roles)
        ? roles.map((r) => (r && typeof r === "object" ? strip(r) : r))
        : roles,
    expiresAt: v.expiresAt,
    remoteData: stripDeep(v.remoteData),
    remoteQuery: stripDeep(v.remoteQuery),
    onDelete: v.onDelete,
    allowLastHolder: v.allowLastHolder,
    resourceName: v.resourceName,
  });
}

/**
 * Validates and normalises `news`. Returns the normalised inputs (with `__provider` kept) and failures
 * that name the property and say what to do. Never throws and never returns `undefined` values.
 * `olds` (the previous inputs; empty for a new resource) and `now` decide which roles are being added,
 * and an added role may not have expired already.
 */
export function checkInputs(
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
  now: number = Date.now(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  try {
    if (news === null || typeof news !== "object" || Array.isArray(news)) {
      return { inputs: {}, failures: [{ property: "(inputs)", reason: "inputs must be an object." }] };
    }
    const { __provider, ...rest } = news;
    // zod copies records by assignment, which would silently drop an own `__proto__` key: look first.
    const unsafe = dangerousKeyFailures(rest);
    const parsed = Inputs.safeParse(rest);
    if (!parsed.success) {
      // Every failure at once: the cross-field rules run too, on the inputs with the broken values set aside.
      const salvaged = Inputs.safeParse(setAside(rest, parsed.error));
      const more = salvaged.success ? [...crossFieldFailures(salvaged.data), ...pastExpiryFailures(salvaged.data, olds, now)] : [];
      return { inputs: stripDeep(news), failures: uniqueFailures([...unsafe, ...failuresFrom(parsed.error), ...more]) };
    }
    const failures = [...unsafe, ...crossFieldFailures(parsed.data), ...pastExpiryFailures(parsed.data, olds, now)];
    const inputs = failures.length ? stripDeep(news) : normalise(withoutRedundantScope(parsed.data));
    if (__provider !== undefined) inputs.__provider = __provider;
    return { inputs, failures };
  } catch (e) {
    // Defensive: check must answer, whatever arrives.
    return { inputs: {}, failures: [{ property: "(inputs)", reason: `could not be validated: ${(e as Error)?.message ?? String(e)}` }] };
  }
}

/**
 * A copy of `rest` the schema accepts, so the cross-field rules can still run and report alongside the structural
 * failures: unknown keys are dropped, and each value that failed is replaced by Pulumi's unknown sentinel, which
 * every rule already treats as "not known yet" and skips.
 */
function setAside(rest: Record<string, unknown>, error: z.ZodError): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string | number, unknown>)[k] : undefined), copy);
    if (issue.code === "unrecognized_keys") {
      const at = path.reduce<unknown>(
        (o, k) => (o && typeof o === "object" ? (o as Record<string | number, unknown>)[k] : undefined),
        copy,
      );
      if (at && typeof at === "object") for (const key of issue.keys) delete (at as Record<string, unknown>)[key];
    } else if (path.length === 0) {
      return {};
    } else if (parent && typeof parent === "object") {
      (parent as Record<string | number, unknown>)[path[path.length - 1]] = UNKNOWN_SENTINELS.string;
    }
  }
  return copy;
}

function uniqueFailures(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => (seen.has(`${f.property}\0${f.reason}`) ? false : (seen.add(`${f.property}\0${f.reason}`), true)));
}

/** A JSON-shaped copy without `undefined` anywhere (Pulumi's wire encoding rejects it). */
function stripDeep<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function dangerousKeyFailures(rest: Record<string, unknown>): CheckFailure[] {
  const out: CheckFailure[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (!v || typeof v !== "object" || depth > 32) return;
    for (const key of Object.keys(v)) {
      const at = Array.isArray(v) ? `${path}[${key}]` : `${path}.${key}`;
      if (DANGEROUS_KEYS.has(key)) out.push({ property: at, reason: `"${key}" is not allowed as a key.` });
      else walk((v as Record<string, unknown>)[key], at, depth + 1);
    }
  };
  for (const field of ["remoteData", "remoteQuery"])
    walk(Object.prototype.hasOwnProperty.call(rest, field) ? rest[field] : undefined, field, 0);
  return out;
}

/**
 * An added role (one the previous inputs do not list, or any role of a new resource) whose expiry has
 * already passed would be refused at once and never granted: say so now rather than deploy a no-op.
 */
function pastExpiryFailures(v: z.output<typeof Inputs>, olds: Record<string, unknown>, now: number): CheckFailure[] {
  if (!Array.isArray(v.roles) || containsUnknown(v.expiresAt)) return [];
  const before = new Set(
    Array.isArray(olds.roles)
      ? (olds.roles as unknown[]).filter((r): r is Role => known(r) && typeof r === "object" && r !== null).map(roleKey)
      : [],
  );
  const out: CheckFailure[] = [];
  // Compared as olds were stored: a Slack role naming the resource's own workspace is the role without it.
  (withoutRedundantScope(v).roles as unknown[]).forEach((r, i) => {
    if (!known(r) || typeof r !== "object" || r === null) return;
    const role = strip(r as Role);
    const at = effectiveExpiry(role, v.expiresAt as string | undefined);
    if (at === undefined || Date.parse(at) > now || before.has(roleKey(role))) return;
    const own = role.expiresAt !== undefined;
    out.push({
      property: own ? `roles[${i}].expiresAt` : "expiresAt",
      reason: `${at} has already passed, so role "${role.id}" would never be granted; give a later time (e.g. ${new Date(now + 7 * 86_400_000).toISOString().replace(/\.000Z$/, "Z")}) or leave the role out.`,
    });
  });
  return out;
}
