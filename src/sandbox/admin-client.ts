/**
 * A client for a running sandbox's admin API (`/_sandbox/*`), for tests, the demo and the bench: its state, its
 * faults, its request log, its settings. Every call rejects with the sandbox's own message when it refuses.
 */
import { readWholeRequestLog, type LoggedRequest } from "./request-log";
import type { Fault, FaultSpec } from "./fault-spec";
import type { MetaOverride, SandboxSettings, SandboxState } from "./types";

/** Where a sandbox listens and the token it wants. */
export interface SandboxEndpoint {
  readonly url: string;
  readonly token: string;
}

/** The admin API of one sandbox, as promises. */
export interface SandboxAdmin {
  state(): Promise<SandboxState>;
  putState(state: SandboxState): Promise<SandboxState>;
  /** Adds a fault for the next `count` matching requests. */
  faults(fault: FaultSpec): Promise<Fault>;
  /** The faults still armed, with what each has left. */
  listFaults(): Promise<Fault[]>;
  clearFaults(): Promise<void>;
  /** The whole request log, every page. */
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  /** Back to the seed: no faults, an empty log, fresh rate windows. */
  reset(): Promise<void>;
  config(change: Partial<SandboxSettings>): Promise<SandboxSettings>;
  /**
   * Makes GET …/meta/{method} answer `answer` for `integration` (both the docs' form and the account-scoped one), or
   * Truto's 404 for `{ absent: true }`, until {@link restoreMeta} or a reset.
   */
  overrideMeta(integration: string, method: "assign-role" | "unassign-role", answer: MetaOverride): Promise<void>;
  /** Back to the sandbox's own description of `integration`'s `method`. */
  restoreMeta(integration: string, method: "assign-role" | "unassign-role"): Promise<void>;
}

function metaPath(integration: string, method: string): string {
  return `/_sandbox/meta/${encodeURIComponent(integration)}/${encodeURIComponent(method)}`;
}

/**
 * The admin API of the sandbox `endpoint` names, or returns: a function is asked on every call, so a fixture can
 * hand the client out before its sandbox starts, or after it restarts on another handle.
 */
export function sandboxAdmin(endpoint: SandboxEndpoint | (() => SandboxEndpoint)): SandboxAdmin {
  const where = typeof endpoint === "function" ? endpoint : () => endpoint;
  const send = async (method: string, path: string, body?: unknown): Promise<any> => {
    const { url, token } = where();
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: the message below quotes the text.
    }
    if (response.status >= 300)
      throw new Error(`Sandbox admin ${method} ${path} failed with ${response.status}: ${parsed?.message ?? text.slice(0, 300)}`);
    return parsed;
  };
  return {
    state: () => send("GET", "/_sandbox/state"),
    putState: (state) => send("PUT", "/_sandbox/state", state),
    faults: (fault) => send("POST", "/_sandbox/faults", fault),
    listFaults: () => send("GET", "/_sandbox/faults"),
    clearFaults: async () => void (await send("DELETE", "/_sandbox/faults")),
    requests: () => readWholeRequestLog((since) => send("GET", `/_sandbox/requests?since=${since}`)),
    clearRequests: async () => void (await send("DELETE", "/_sandbox/requests")),
    reset: async () => void (await send("POST", "/_sandbox/reset")),
    config: (change) => send("PATCH", "/_sandbox/config", change),
    overrideMeta: async (integration, method, answer) => void (await send("PUT", metaPath(integration, method), answer)),
    restoreMeta: async (integration, method) => void (await send("DELETE", metaPath(integration, method))),
  };
}
