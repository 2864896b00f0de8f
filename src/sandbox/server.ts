import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import * as qs from "qs";
import { requireBearer } from "./auth";
import { reasonPhrase, SandboxHttpError, trutoError } from "./errors";
import type { Fault } from "./faults";
import { parseBody, readBodyText, sendResult, type ParsedBody, type RouteResult } from "./http-io";
import { admitToken, isRateLimited } from "./limits";
import { handleAdmin } from "./routes/admin-routes";
import { handleIntegratedAccount } from "./routes/integrated-account-route";
import { handleUnified } from "./routes/unified-routes";
import type { SandboxRuntime } from "./runtime";
import { asResult, decodeSegments, headerValue, type SandboxCall } from "./sandbox-call";
import { rulesFor } from "./truto-rules";
import { vendorFault, type VendorStyle } from "./vendor-errors";

const DROP: RouteResult = { status: 0, body: null, drop: true };

// Cut mid-value on purpose: what a proxy that dies half-way through a response leaves behind.
const MALFORMED_BODY = '{"result": {"id": "';

function loggedBody(body: ParsedBody): unknown {
  if (body.kind === "empty") return null;
  return body.kind === "json" ? body.value : body.text;
}

function splitUrl(url: string): { pathname: string; rawQuery: string } {
  const question = url.indexOf("?");
  return question < 0 ? { pathname: url, rawQuery: "" } : { pathname: url.slice(0, question), rawQuery: url.slice(question + 1) };
}

// How the vendor behind the call's account words errors; generic when the call names no known account.
function vendorStyleOf(call: SandboxCall, rt: SandboxRuntime): VendorStyle {
  const id = call.query.integrated_account_id;
  const account = typeof id === "string" ? rt.store.account(id) : undefined;
  return account ? rulesFor(account.account.integration).vendor : "generic";
}

function faultResult(fault: Fault, call: SandboxCall, rt: SandboxRuntime): RouteResult {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  if (fault.body !== undefined) return { status, body: fault.body, headers, raw: typeof fault.body === "string" };
  const message = `Sandbox fault ${fault.id}: injected ${status} for ${call.method} ${call.pathname}.`;
  if (fault.remote) return { status, body: vendorFault(vendorStyleOf(call, rt), status, message).body, headers };
  return { status, body: { statusCode: status, error: reasonPhrase(status), message }, headers };
}

// Anything that becomes a 500 is a sandbox bug or an I/O failure (e.g. writing the state file).
function internalError(req: IncomingMessage, error: unknown): RouteResult {
  const message = `Sandbox failed while handling ${req.method} ${splitUrl(req.url ?? "/").pathname}: ${(error as Error).message}`;
  return { status: 500, body: { statusCode: 500, error: "Internal Server Error", message } };
}

/** Creates the HTTP server that serves the Truto-compatible API and the /_sandbox admin API. */
export function createSandboxServer(rt: SandboxRuntime): Server {
  return createServer((req, res) => {
    handle(req, res, rt).catch((error: unknown) => sendResult(res, internalError(req, error)));
  });
}

// Reads and parses the body of an authenticated request; a body too large or a badly encoded path
// becomes the error to answer with.
async function readCall(
  req: IncomingMessage,
  rt: SandboxRuntime,
  method: string,
  pathname: string,
  rawQuery: string,
): Promise<{ call: SandboxCall | SandboxHttpError; bytes: number }> {
  try {
    const { text, bytes } = await readBodyText(req, rt.maxBodyBytes);
    const query = qs.parse(rawQuery) as Record<string, unknown>;
    return { call: { method, pathname, segments: decodeSegments(pathname), query, body: parseBody(text), headers: req.headers }, bytes };
  } catch (error) {
    if (error instanceof SandboxHttpError) return { call: error, bytes: 0 };
    throw error;
  }
}

const AUTHENTICATED: RouteResult = { status: 200, body: null };

// Truto's 401 for a missing or wrong bearer token; undefined when the token is right.
async function authFailure(req: IncomingMessage, rt: SandboxRuntime): Promise<RouteResult | undefined> {
  const result = await asResult(() => {
    requireBearer(req.headers, rt.token);
    return AUTHENTICATED;
  });
  return result === AUTHENTICATED ? undefined : result;
}

async function handle(req: IncomingMessage, res: ServerResponse, rt: SandboxRuntime): Promise<void> {
  const { pathname, rawQuery } = splitUrl(req.url ?? "/");
  const method = (req.method ?? "GET").toUpperCase();
  const admin = pathname === "/_sandbox" || pathname.startsWith("/_sandbox/");
  // The token is checked before the body is read: an anonymous caller's body is never buffered or
  // kept (Node discards it after the answer), and its log entry is method, path and status only.
  const denied = await authFailure(req, rt);
  if (denied) {
    const entry = admin ? undefined : rt.log.record({ method, path: pathname, query: {}, body: null }, Buffer.byteLength(pathname));
    if (entry && !(await rt.sleeper.sleep(rt.settings.latencyMs))) return;
    if (entry) entry.status = denied.status;
    sendResult(res, denied);
    return;
  }
  const { call, bytes } = await readCall(req, rt, method, pathname, rawQuery);
  if (admin) {
    sendResult(res, await asResult(() => handleAdmin(checked(call), rt)));
    return;
  }
  const parsed = call instanceof SandboxHttpError ? undefined : call;
  const entry = rt.log.record(
    {
      method,
      path: pathname,
      query: parsed?.query ?? {},
      body: parsed ? loggedBody(parsed.body) : null,
      idempotencyKey: headerValue(req.headers, "idempotency-key"),
      integratedAccountId: typeof parsed?.query.integrated_account_id === "string" ? parsed.query.integrated_account_id : undefined,
    },
    bytes + Buffer.byteLength(pathname) + Buffer.byteLength(rawQuery),
  );
  if (!(await rt.sleeper.sleep(rt.settings.latencyMs))) return;
  const result = await asResult(() => handleApi(checked(call), rt)).catch((error: unknown) => internalError(req, error));
  if (result.drop) {
    // No answer at all, the way a dead connection behaves; the log keeps status null.
    req.socket.destroy();
    return;
  }
  entry.status = result.status;
  sendResult(res, result);
}

function checked(call: SandboxCall | SandboxHttpError): SandboxCall {
  if (call instanceof SandboxHttpError) throw call;
  return call;
}

// The API side: the token's window first (Truto counts every request that reaches it), then the rest; a
// request answered 429 is taken back out of the token's window.
async function handleApi(call: SandboxCall, rt: SandboxRuntime): Promise<RouteResult> {
  const ticket = admitToken(call, rt);
  const result = await asResult(() => route(call, rt));
  if (isRateLimited(result)) ticket?.release();
  return result;
}

// Faults first (in registration order), then the unified or integrated-account routes.
async function route(call: SandboxCall, rt: SandboxRuntime): Promise<RouteResult> {
  const area = call.segments[0];
  if (area !== "unified" && area !== "integrated-account") {
    throw trutoError(
      404,
      `No route for ${call.method} ${call.pathname}. The sandbox serves /unified/user-directory/*, /integrated-account/{id} and /_sandbox/*.`,
    );
  }
  const fault = rt.faults.take(call.method, call.pathname);
  // A delay cut short means the sandbox is closing: drop rather than answer late.
  if (fault?.delayMs !== undefined && !(await rt.sleeper.sleep(fault.delayMs))) return DROP;
  if (fault?.drop) return DROP;
  if (fault?.malformed) return { status: 200, body: MALFORMED_BODY, raw: true, headers: { "content-type": "application/json" } };
  if (fault?.status !== undefined) return faultResult(fault, call, rt);
  return area === "unified" ? handleUnified(call, rt, fault?.noop === true) : handleIntegratedAccount(call, rt);
}
