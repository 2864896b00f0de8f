import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { trutoError } from "./errors";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Throws Truto's 401 unless the request carries `Authorization: Bearer <token>`. Compares digests
 * in constant time, and never repeats either token in the message.
 */
export function requireBearer(headers: IncomingHttpHeaders, token: string): void {
  const presented = presentedToken(headers);
  if (presented === undefined) {
    throw trutoError(401, "Missing bearer token. Send Authorization: Bearer <token>, using the token the sandbox printed at start-up.");
  }
  if (!timingSafeEqual(digest(presented), digest(token))) {
    throw trutoError(401, "Invalid bearer token. Use the token the sandbox printed at start-up (TRUTO_API_TOKEN).");
  }
}

/** What a request's per-token window is keyed on: a digest of its bearer token, so the token itself is never kept. */
export function tokenKey(headers: IncomingHttpHeaders): string {
  return digest(presentedToken(headers) ?? "").toString("hex");
}
