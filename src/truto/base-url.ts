/**
 * Where Truto is, and which base URLs are acceptable. Kept apart from the client so that reading the
 * configuration does not load the HTTP stack.
 */

/** Truto's API origin. */
export const DEFAULT_BASE_URL = "https://api.truto.one";

/** Whether `url` may be used: https anywhere, http only on loopback. */
export function checkBaseUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:") {
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    if (host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)) return undefined;
    return `plain http:// is allowed only for loopback (localhost, 127.0.0.0/8, ::1), not "${parsed.host}"; use https://`;
  }
  return `unsupported protocol "${parsed.protocol}"; use https://`;
}
