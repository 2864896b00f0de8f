/**
 * Zod schemas of the Truto responses this package reads. Responses are validated once, here; a body
 * that does not match becomes a TRUTO_BAD_RESPONSE error, never a crash deeper in.
 */
import { z } from "zod";
import type { WireRoleAssignmentT, WireRoleT, WireUserT } from "./wire-types";

const idLike = z.union([z.string(), z.number()]).transform((v) => String(v));
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/** A role as Truto's unified user object carries it. */
export const WireRole = z.looseObject({
  id: idLike,
  name: optionalText,
  group: optionalText,
  organization: optionalText,
  workspace: optionalText,
});

/** The unified user object (only the fields we read; the rest passes through). */
export const WireUser = z.looseObject({
  id: idLike,
  name: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  username: optionalText,
  status: optionalText,
  emails: z
    .array(z.looseObject({ email: z.string().nullish(), is_primary: z.boolean().nullish() }))
    .nullish()
    .transform((v) => v ?? []),
  roles: z
    .array(WireRole)
    .nullish()
    .transform((v) => v ?? []),
});

/** A unified role-assignment record (`GET role_assignments`). */
export const WireRoleAssignment = z.looseObject({
  id: idLike.nullish(),
  user_id: idLike,
  role_id: idLike,
  group_id: idLike.nullish(),
  workspace: z.union([z.array(z.string()), z.string()]).nullish(),
});

/** A unified role record (`GET roles`). */
export const WireRoleRecord = z.looseObject({ id: idLike, name: optionalText });

/** A unified workspace or organization record (`GET workspaces`, `GET organizations`): an id and a name. */
export const WireScopeRecord = WireRoleRecord;

/**
 * `GET /integrated-account/{id}`: the integration slug is `integration.name`; `status` and `is_sandbox` say
 * whether the account can be used and written to (truto-api-notes §4.2, from
 * https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto/references/core-resources.md).
 */
export const WireIntegratedAccount = z.looseObject({
  id: idLike,
  status: optionalText,
  is_sandbox: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  integration: z.looseObject({ name: z.string() }),
});

/**
 * Truto's list envelope. Its items are left to the caller to validate one by one as it reads them (see `pages` in
 * user-directory.ts): a scan that stops at the first match then validates one item, not a page of a hundred.
 */
export const ListEnvelope = z.looseObject({
  result: z.array(z.unknown()),
  next_cursor: z.string().nullish(),
});

/** Custom methods (`assign-role`, `unassign-role`) wrap their answer in `{ result }`; its content is undocumented. */
export const WireCustomResult = z.looseObject({ result: z.unknown().optional() });

/** The part of a JSON Schema the placement check reads: an object's properties and which are required. */
const WireObjectSchema = z.looseObject({
  properties: z.record(z.string(), z.unknown()).nullish(),
  required: z.array(z.string()).nullish(),
});

/**
 * `GET /unified/{model}/{resource}/meta/{method}`: how Truto describes one method of one integration
 * (docs "Unified model docs"; Truto's TypeScript SDK `unifiedApi.meta`). Only the schemas are read.
 */
export const WireMethodMeta = z.looseObject({
  query_schema: WireObjectSchema.nullish(),
  request_body_schema: WireObjectSchema.nullish(),
});

/** A method's description, after validation. */
export type WireMethodMetaT = z.output<typeof WireMethodMeta>;

/** An error body: `statusCode`, `error`, `message`, and for unified calls `truto_error_insight`. */
export const WireErrorBody = z.looseObject({
  statusCode: z.number().optional(),
  error: z.string().optional(),
  message: z.unknown().optional(),
  truto_is_remote_error: z.boolean().optional(),
  truto_error_insight: z
    .looseObject({
      missing_required_query_parameters: z.looseObject({ value: z.array(z.string()).optional() }).optional(),
      missing_required_body_fields: z.looseObject({ value: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
});

export type { ResponseSchema, WireRoleAssignmentT, WireRoleT, WireUserT } from "./wire-types";

/** An error body, after validation. */
export type WireErrorBodyT = z.output<typeof WireErrorBody>;

// The hand-written types (wire-types.ts) must stay what the schemas produce: these fail to compile the day they differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<WireUserT, z.output<typeof WireUser>>,
  Same<WireRoleT, z.output<typeof WireRole>>,
  Same<WireRoleAssignmentT, z.output<typeof WireRoleAssignment>>,
] = [true, true, true];
void sameTypes;
