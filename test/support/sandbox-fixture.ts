import { request } from "undici";
import { sandboxAdmin, startSandbox, type SandboxAdmin, type SandboxHandle, type SandboxOptions } from "../../src/sandbox";

/** A response as tests look at it: status, lower-case headers, and the body parsed when it is JSON. */
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  // any: tests poke at whatever came back, and assert on it.
  body: any;
  text: string;
}

/** Options for one raw call; `token: null` sends no Authorization header at all. */
export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  token?: string | null;
}

export type { SandboxAdmin };

/** What `useSandbox` exposes; read it inside tests or hooks (it is filled in by `before`). */
export interface SandboxFixture {
  readonly url: string;
  readonly token: string;
  readonly handle: SandboxHandle;
  readonly admin: SandboxAdmin;
  /** Sends one request to `pathAndQuery` (already encoded) with the sandbox token unless told otherwise. */
  call(method: string, pathAndQuery: string, options?: CallOptions): Promise<SandboxResponse>;
}

/** Sends one HTTP request with undici and reads the whole answer. */
export async function sandboxCall(
  url: string,
  token: string | null,
  method: string,
  pathAndQuery: string,
  options: CallOptions = {},
): Promise<SandboxResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await request(`${url}${pathAndQuery}`, { method: method as "GET", headers, body });
  const text = await response.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a malformed fault or a text body): tests read `text`.
  }
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { status: response.statusCode, headers: flat, body: parsed, text };
}

/** The admin API of the sandbox `get` returns (looked up on each call, so a fixture can hand it out before `before`). */
export function adminFor(get: () => SandboxHandle): SandboxAdmin {
  return sandboxAdmin(get);
}

/**
 * Mocha helper: starts a sandbox in `before`, resets it in `beforeEach` (seed state, no faults,
 * empty log, fresh rate windows, start-up settings) and closes it in `after`. Call it inside a
 * `describe`, keep the returned object, and read its fields inside tests.
 */
export function useSandbox(opts?: SandboxOptions): SandboxFixture {
  let handle: SandboxHandle | undefined;
  const get = (): SandboxHandle => {
    if (!handle) throw new Error("The sandbox is not running yet: use the fixture inside tests or hooks, not at describe time.");
    return handle;
  };
  const admin = adminFor(get);
  before(async () => {
    handle = await startSandbox(opts);
  });
  beforeEach(() => admin.reset());
  after(async () => {
    await handle?.close();
    handle = undefined;
  });
  return {
    get url() {
      return get().url;
    },
    get token() {
      return get().token;
    },
    get handle() {
      return get();
    },
    admin,
    call: (method, pathAndQuery, options = {}) =>
      sandboxCall(get().url, options.token === undefined ? get().token : options.token, method, pathAndQuery, options),
  };
}
