import type { IncomingMessage, ServerResponse } from "node:http";
import { trutoError } from "./errors";

/** What a route answers: status, JSON body (or text when a fault says so), extra headers. */
export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Send `body` (a string) as-is instead of as JSON. */
  raw?: boolean;
  /** Answer nothing: destroy the connection (a drop fault). */
  drop?: boolean;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads the whole request body as UTF-8, refusing more than 16 MiB so one client cannot exhaust memory. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw trutoError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A parsed body: empty, JSON, or text that is not JSON (kept so the request log can show it). */
export type ParsedBody = { kind: "empty" } | { kind: "json"; value: unknown } | { kind: "invalid"; text: string; reason: string };

/** Parses a request body as JSON without throwing; routes decide whether a bad body matters. */
export function parseBody(text: string): ParsedBody {
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: "invalid", text, reason: (error as Error).message };
  }
}

/** The body as a JSON object, or a 400 saying why it is not one; an empty body is `{}`. */
export function bodyObject(body: ParsedBody): Record<string, unknown> {
  if (body.kind === "empty") return {};
  if (body.kind === "invalid") throw trutoError(400, `Request body is not valid JSON (${body.reason}).`);
  const value = body.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw trutoError(400, "Request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** Writes a result unless the client has already gone away. */
export function sendResult(res: ServerResponse, result: RouteResult): void {
  if (res.destroyed || res.headersSent) return;
  const raw = result.raw === true && typeof result.body === "string";
  const text = raw ? (result.body as string) : JSON.stringify(result.body ?? null);
  const headers: Record<string, string> = {
    "content-type": raw ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    ...lowerCaseKeys(result.headers ?? {}),
  };
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(result.status, headers);
  res.end(text);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
