import type { IncomingHttpHeaders } from "node:http";
import { trutoError, SandboxHttpError } from "./errors";
import type { ParsedBody, RouteResult } from "./http-io";

/** One request as routes see it: the raw pathname, its decoded segments, the qs-parsed query, the body. */
export interface SandboxCall {
  method: string;
  /** The pathname exactly as sent (still percent-encoded); faults and the log use this. */
  pathname: string;
  /** Path segments, each percent-decoded on its own, so `users/a%2Fb` names user `a/b`. */
  segments: string[];
  query: Record<string, unknown>;
  body: ParsedBody;
  headers: IncomingHttpHeaders;
}

/** Splits a raw pathname into percent-decoded segments; a trailing slash adds no empty segment. */
export function decodeSegments(pathname: string): string[] {
  const parts = pathname.split("/").slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw trutoError(400, `Path segment "${part}" is not valid percent-encoding. Encode each path parameter with encodeURIComponent.`);
    }
  });
}

/** A single-valued header, or undefined when absent or empty. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === "" ? undefined : single;
}

/** Runs a route and turns a thrown SandboxHttpError into the result it stands for. */
export async function asResult(run: () => RouteResult | Promise<RouteResult>): Promise<RouteResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SandboxHttpError) return { status: error.status, body: error.body, headers: error.headers };
    throw error;
  }
}
