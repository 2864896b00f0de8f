/**
 * fast-check generators for RoleAssignment inputs: valid ones per integration, the same with fields
 * broken or swapped for Pulumi's unknown sentinels, and arbitrary objects with huge strings, unicode
 * and prototype-pollution keys (set as own properties, the way JSON.parse would).
 */
import fc from "fast-check";
import { INPUT_KEYS } from "../../../src/provider/inputs";
import { UNKNOWNS } from "../pulumi-values";

type Props = Record<string, unknown>;

/** Keys that pollute prototypes when code assigns them naively. */
export const DANGEROUS_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
] as const;

/** An object with exactly these own properties, even for keys like `__proto__`. */
export function ownObject(pairs: readonly (readonly [string, unknown])[]): Props {
  const out: Props = {};
  for (const [key, value] of pairs) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Any one of Pulumi's unknown-value sentinels. */
export const sentinel = fc.constantFrom(...UNKNOWNS);

/** Strings people and attackers send: empty, blank, dots, separators, unicode, control characters, huge. */
export const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\t\n",
      ".",
      "..",
      "a/b",
      "../admin",
      "?x=1#y",
      "%2F%2E%2E",
      "\u0000",
      "🧑‍💻",
      "ünïcødé",
      "Ω≈ç√",
      "\u202Eevil",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_025, max: 120_000 }).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1_000, maxLength: 3_000 }) },
);

/** Keys of every sort: the real ones, near misses, dangerous ones, the empty key and random ones. */
export const anyKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INPUT_KEYS, "id", "name", "group", "organization", "workspace") },
  { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_KEYS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "rolez",
      "userid",
      "UserId",
      "integratedAccountID",
      "",
      " ",
      "a.b",
      "[0]",
      "integrated_account_id",
      "workspace_id",
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
);

const { value: anyValue } = fc.letrec<{ value: unknown; leaf: unknown; obj: Props; arr: unknown[] }>((tie) => ({
  leaf: fc.oneof(nastyString, sentinel, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("obj"), tie("arr")),
  obj: fc.array(fc.tuple(anyKey, tie("value")), { maxLength: 5 }).map(ownObject),
  arr: fc.array(tie("value"), { maxLength: 5 }),
}));

/** Any JSON-like value, nested a little, with nasty strings, sentinels and dangerous keys. */
export { anyValue };

const nonBlank = fc.string({ minLength: 1, maxLength: 16 }).filter((s) => s.trim().length > 0);
const role = fc.record({ id: nonBlank, name: fc.option(nonBlank, { nil: undefined }) }, { requiredKeys: ["id"] });

/** Inputs that should pass check, for one of the three documented integrations. */
export const validInputs: fc.Arbitrary<Props> = fc
  .tuple(
    fc.constantFrom("slackenterprise", "jumpcloud", "elasticcloud"),
    fc.uuid({ version: 4 }),
    fc.string({ minLength: 1, maxLength: 24 }),
    fc.uniqueArray(role, { minLength: 1, maxLength: 4, selector: (r) => r.id.trim() }),
  )
  .filter(([, , user]) => user.trim().length > 0 && user.trim() !== "." && user.trim() !== "..")
  .map(([integration, integratedAccountId, userId, roles]) => {
    const base: Props = {
      integratedAccountId,
      integration,
      userId,
      roles: roles.map((r) => (r.name === undefined ? { id: r.id } : { id: r.id, name: r.name })),
    };
    if (integration === "slackenterprise") base.workspaceId = "T0PLATFORM";
    if (integration === "elasticcloud") base.organizations = [{ id: "4201839311" }];
    return base;
  });

/** Valid inputs with some fields replaced by sentinels, at the top or inside roles. */
export const withSentinels: fc.Arbitrary<Props> = fc
  .tuple(validInputs, fc.subarray([...INPUT_KEYS.filter((k) => k !== "integration")], { minLength: 1 }), sentinel, fc.boolean())
  .map(([inputs, keys, unknown, insideRoles]) => {
    const out: Props = { ...inputs };
    if (insideRoles) out.roles = (out.roles as Props[]).map((r, i) => (i === 0 ? { ...r, id: unknown } : r));
    else for (const k of keys) if (k in out) out[k] = unknown;
    return out;
  });

/** Valid inputs with fields overwritten, added or removed at random. */
export const mutatedInputs: fc.Arbitrary<Props> = fc
  .tuple(validInputs, fc.array(fc.tuple(anyKey, anyValue), { maxLength: 3 }), fc.subarray([...INPUT_KEYS]))
  .map(([inputs, extra, dropped]) => {
    const pairs = Object.entries(inputs).filter(([k]) => !dropped.includes(k as (typeof INPUT_KEYS)[number]));
    return ownObject([...pairs, ...extra]);
  });

/** Any input check might receive: valid, broken, unknown, or nonsense. */
export const anyInputs: fc.Arbitrary<Props> = fc.oneof(
  { weight: 2, arbitrary: validInputs },
  { weight: 2, arbitrary: withSentinels },
  { weight: 4, arbitrary: mutatedInputs },
  { weight: 2, arbitrary: fc.array(fc.tuple(anyKey, anyValue), { maxLength: 8 }).map(ownObject) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validInputs, fc.constantFrom("remoteData", "remoteQuery", "roles"), fc.constantFrom(...DANGEROUS_KEYS), anyValue)
      .map(([inputs, field, key, value]) => ({
        ...inputs,
        [field]:
          field === "roles"
            ? [
                ownObject([
                  ["id", "x"],
                  [key, value],
                ]),
              ]
            : ownObject([[key, value]]),
      })),
  },
);
