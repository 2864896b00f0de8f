import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { trutoError } from "./errors";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Throws Truto's 401 unless the request carries `Authorization: Bearer <token>`. Compares digests
 * in constant time, and never repeats either token in the message.
 */
export function requireBearer(headers: IncomingHttpHeaders, token: string): void {
  const header = headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw trutoError(401, "Missing bearer token. Send Authorization: Bearer <token>, using the token the sandbox printed at start-up.");
  }
  if (!timingSafeEqual(digest(match[1]), digest(token))) {
    throw trutoError(401, "Invalid bearer token. Use the token the sandbox printed at start-up (TRUTO_API_TOKEN).");
  }
}
