/**
 * How Truto describes `assign-role` / `unassign-role` for an integration: `GET
 * /unified/user-directory/users/meta/{method}?integrated_account_id=…`, the form Truto's TypeScript SDK's
 * `unifiedApi.meta` calls (docs "Unified model docs" also show `/users/{integration}/meta/{method}`).
 * Whether Truto describes custom methods there is not documented, so "not described" is an answer too.
 */
import type { MethodDescription, WriteMethod } from "../integrations/placement-check";
import type { TrutoClient } from "./client";
import { TrutoErrorCodes, isTrutoError } from "./errors";
import { WireMethodMeta, type WireMethodMetaT } from "./wire";

/** What asking gave: a description, or why there is none (`absent`: 404 or no schema; `failed`: the call failed). */
export type MetaAnswer = { kind: "described"; description: MethodDescription } | { kind: "absent" } | { kind: "failed"; reason: string };

// Per process, per base URL, integration and method: a definitive answer is kept, a failed call is asked again.
const answers = new Map<string, Promise<MetaAnswer>>();

function describe(meta: WireMethodMetaT): MethodDescription | undefined {
  const place = (s: WireMethodMetaT["query_schema"]) =>
    s?.properties ? { properties: Object.keys(s.properties), required: s.required ?? [] } : undefined;
  const query = place(meta.query_schema);
  const body = place(meta.request_body_schema);
  return query || body ? { query, body } : undefined;
}

/** Truto's description of `method` for the integration of `integratedAccountId` (`integration` keys the cache). */
export function methodMeta(
  client: TrutoClient,
  integration: string,
  method: WriteMethod,
  integratedAccountId: string,
): Promise<MetaAnswer> {
  const key = `${client.baseUrl}|${integration}|${method}`;
  let hit = answers.get(key);
  if (!hit) {
    const asked: Promise<MetaAnswer> = client
      .call({ method: "GET", path: `/unified/user-directory/users/meta/${method}`, integratedAccountId }, WireMethodMeta)
      .then(
        (meta): MetaAnswer => {
          const description = describe(meta);
          return description ? { kind: "described", description } : { kind: "absent" };
        },
        (e: unknown): MetaAnswer => {
          if (isTrutoError(e, TrutoErrorCodes.notFound)) return { kind: "absent" };
          answers.delete(key);
          return { kind: "failed", reason: isTrutoError(e) ? e.message : String(e) };
        },
      );
    hit = asked;
    answers.set(key, hit);
  }
  return hit;
}
