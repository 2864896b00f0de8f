/**
 * Replays logged API requests straight with undici: the same method, path, query and body, in the same
 * order, with the same number in flight. This is the floor the provider is measured against: the API's own
 * cost with no Pulumi host, no provider and no client library in the way.
 */
import { randomUUID } from "node:crypto";
import * as qs from "qs";
import { Agent, request } from "undici";
import type { LoggedRequest } from "../src/sandbox";
import { runPool } from "../tools/engine/pool";

/** What a replay did: how long it took, each request's status in log order, and each request's duration. */
export interface ReplayOutcome {
  wallMs: number;
  statuses: number[];
  requestMs: number[];
}

/** The request as the server saw it, in a form two logs can be compared by (method, path, query, body). */
export function requestSignature(entry: Pick<LoggedRequest, "method" | "path" | "query" | "body">): string {
  return JSON.stringify([entry.method, entry.path, entry.query, entry.body]);
}

/** The URL of a logged request: qs re-encodes the parsed query with indexed brackets, as the client sends it. */
export function replayUrl(baseUrl: string, entry: Pick<LoggedRequest, "path" | "query">): string {
  const query = qs.stringify(entry.query, { arrayFormat: "indices" });
  return `${baseUrl}${entry.path}${query ? `?${query}` : ""}`;
}

/** Sends `log` (sorted by seq) with at most `concurrency` in flight and times the whole run. */
export async function replay(baseUrl: string, token: string, log: readonly LoggedRequest[], concurrency: number): Promise<ReplayOutcome> {
  const ordered = [...log].sort((a, b) => a.seq - b.seq);
  // The same pool settings as the provider's client, so connection reuse is not what differs.
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  const statuses: number[] = new Array(ordered.length);
  const requestMs: number[] = new Array(ordered.length);
  const started = performance.now();
  try {
    await runPool(ordered, concurrency, async (entry, i) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "user-agent": "pulumi-truto-access",
      };
      let body: string | undefined;
      if (entry.method !== "GET") {
        headers["content-type"] = "application/json";
        // A fresh key, as the client makes one per logical call; the logged one would hit the sandbox's replay cache.
        headers["idempotency-key"] = randomUUID();
        body = entry.body === null ? undefined : JSON.stringify(entry.body);
      }
      const sent = performance.now();
      const res = await request(replayUrl(baseUrl, entry), { method: entry.method as "GET", headers, body, dispatcher });
      await res.body.text();
      requestMs[i] = performance.now() - sent;
      statuses[i] = res.statusCode;
    });
    return { wallMs: performance.now() - started, statuses, requestMs };
  } finally {
    await dispatcher.close();
  }
}

/** Where two logs differ as multisets of (method, path, query, body); empty when they hold the same requests. */
export function compareLogs(original: readonly LoggedRequest[], replayed: readonly LoggedRequest[]): string[] {
  const count = new Map<string, number>();
  for (const e of original) count.set(requestSignature(e), (count.get(requestSignature(e)) ?? 0) + 1);
  for (const e of replayed) count.set(requestSignature(e), (count.get(requestSignature(e)) ?? 0) - 1);
  const problems: string[] = [];
  for (const [signature, n] of count) {
    if (n !== 0) problems.push(`${n > 0 ? "missing from" : "extra in"} the replay (${Math.abs(n)}×): ${signature.slice(0, 300)}`);
  }
  return problems;
}
