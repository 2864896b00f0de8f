import type { IncomingMessage, ServerResponse } from "node:http";
import { trutoError, type SandboxHttpError } from "./errors";

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

/** The default request body limit: far more than any role request, and a whole sandbox state. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

function tooLarge(maxBytes: number): SandboxHttpError {
  // Close the connection: the rest of the body is never read, so the connection cannot be reused.
  return trutoError(413, `Request body is larger than ${maxBytes} bytes.`, { connection: "close" });
}

/**
 * Reads the whole request body as UTF-8, refusing more than `maxBytes` the way an API gateway does:
 * at once when Content-Length says so, else as soon as the bytes read pass it, without reading on.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number): Promise<{ text: string; bytes: number }> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      if (error) {
        req.pause();
        reject(error);
      } else {
        resolve({ text: Buffer.concat(chunks).toString("utf8"), bytes: size });
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
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
