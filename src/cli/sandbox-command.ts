import { startSandbox, type RateLimit, type SandboxHandle, type SandboxOptions } from "../sandbox";
import { describeLimit } from "../sandbox/rate-limiter";
import { defaultSettings } from "../sandbox/settings";

/** Where the command writes, and an optional signal that stops it (tests use it instead of SIGINT). */
export interface SandboxCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal?: AbortSignal;
}

const USAGE = `Usage: pulumi-truto-access sandbox [options]

Runs a local Truto-compatible server (Unified User Directory role methods) on 127.0.0.1.
The first line on stdout is JSON: {"url": "...", "token": "..."}. Stop it with Ctrl+C.

Options:
  --port N                  port to listen on (default: a free one)
  --state FILE              keep state in FILE (created from the seed if missing)
  --token T                 bearer token clients must send (default: random sbx_...)
  --rate-limit N/SECONDS    Truto's per-account limit, e.g. 50/10 (the default, like Truto), or "off"
  --token-rate-limit N/SECONDS
                            Truto's per-token limit on every API request, e.g. 500/10 (the default), or "off"
  --vendor-quota N/SECONDS  the vendor's quota per account, sent as ratelimit-* headers and answered with the
                            vendor's 429 when used up, e.g. 100/60; "off" (the default) sends no such headers
  --latency MS              delay every API response by MS milliseconds (default 0)
  --strict                  vendor-style errors: 409 on assigning a held role, 404 on revoking one not held
  --help                    show this help
`;

class UsageError extends Error {}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}; got "${text}".`);
  }
  return value;
}

// The flags that take a rate limit, and the option each sets.
const LIMIT_FLAGS = { "--rate-limit": "rateLimit", "--token-rate-limit": "tokenRateLimit", "--vendor-quota": "vendorQuota" } as const;

type LimitFlag = keyof typeof LIMIT_FLAGS;

function isLimitFlag(flag: string): flag is LimitFlag {
  return Object.hasOwn(LIMIT_FLAGS, flag);
}

function rateLimit(flag: LimitFlag, text: string): RateLimit | false {
  if (text === "off") return false;
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  const windowMs = match ? Math.round(Number(match[2]) * 1000) : 0;
  if (!match || !Number.isSafeInteger(Number(match[1])) || Number(match[1]) < 1 || windowMs < 1) {
    throw new UsageError(`${flag} must look like 50/10 (requests per seconds) or be "off"; got "${text}".`);
  }
  return { limit: Number(match[1]), windowMs };
}

/** Parses the command's flags; returns "help" for --help and throws UsageError on anything wrong. */
function parseArgs(args: string[]): SandboxOptions | "help" {
  const opts: SandboxOptions = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") return "help";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === "--strict") {
      if (eq > 0) throw new UsageError("--strict takes no value.");
      opts.strictIdempotency = true;
      continue;
    }
    if (!["--port", "--state", "--token", "--latency"].includes(flag) && !isLimitFlag(flag)) {
      throw new UsageError(`Unknown option "${arg}".`);
    }
    let value: string | undefined;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      i += 1;
      value = args[i];
    }
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value.`);
    if (flag === "--port") opts.port = wholeNumber(flag, value, 0, 65535);
    if (flag === "--state") opts.stateFile = value;
    if (flag === "--token") {
      if (/\s/.test(value)) throw new UsageError("--token must not contain spaces.");
      opts.token = value;
    }
    if (isLimitFlag(flag)) opts[LIMIT_FLAGS[flag]] = rateLimit(flag, value);
    if (flag === "--latency") opts.latencyMs = wholeNumber(flag, value, 0, 600_000);
  }
  return opts;
}

async function describeAccounts(handle: SandboxHandle): Promise<string> {
  try {
    const response = await fetch(`${handle.url}/_sandbox/state`, { headers: { authorization: `Bearer ${handle.token}` } });
    const state = (await response.json()) as { accounts: { id: string; integration: string }[] };
    return state.accounts.map((account) => `  ${account.integration.padEnd(16)} ${account.id}`).join("\n");
  } catch {
    return "  (GET /_sandbox/state lists them)";
  }
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * `pulumi-truto-access sandbox`: starts the sandbox, prints {"url","token"} as the first stdout
 * line, then runs until SIGINT/SIGTERM. Resolves 0 after a clean stop, 1 if it could not start,
 * 2 for bad flags.
 */
export async function sandboxCommand(args: string[], io: Partial<SandboxCommandIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let parsed: SandboxOptions | "help";
  try {
    parsed = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`pulumi-truto-access sandbox: ${error.message}\nRun "pulumi-truto-access sandbox --help" for the options.\n`);
    return 2;
  }
  if (parsed === "help") {
    stdout.write(USAGE);
    return 0;
  }
  let handle: SandboxHandle;
  try {
    handle = await startSandbox(parsed);
  } catch (error) {
    stderr.write(`pulumi-truto-access sandbox: could not start: ${(error as Error).message}\n`);
    return 1;
  }
  const stopped = waitForStop(io.signal);
  stdout.write(`${JSON.stringify({ url: handle.url, token: handle.token })}\n`);
  // parseArgs sets only the options it was given.
  const { rateLimit, tokenRateLimit, vendorQuota } = { ...defaultSettings(), ...parsed };
  const per = (limit: RateLimit | false, whose: string) => (limit === false ? "off" : `${describeLimit(limit)} per ${whose}`);
  stderr.write(
    [
      `Truto sandbox listening on ${handle.url}`,
      `  state:        ${parsed.stateFile ?? "in memory (lost when it stops)"}`,
      `  rate limits:  ${per(rateLimit, "integrated account")}; ${per(tokenRateLimit, "API token")}`,
      `  vendor quota: ${per(vendorQuota, "integrated account, sent as ratelimit-* headers")}`,
      `  errors:       ${parsed.strictIdempotency ? "strict (vendor-style 404/409)" : "idempotent (repeat assign/unassign succeed)"}`,
      "Point a client at it:",
      `  export TRUTO_BASE_URL=${handle.url} TRUTO_API_TOKEN=${handle.token}`,
      "Integrated accounts:",
      await describeAccounts(handle),
      "Admin API (same token): GET|PUT /_sandbox/state, POST|DELETE /_sandbox/faults,",
      "  GET /_sandbox/requests?since=SEQ&limit=N (paged: follow `next`), DELETE /_sandbox/requests,",
      "  POST /_sandbox/reset, GET|PATCH /_sandbox/config, PUT|DELETE /_sandbox/meta/{integration}/{method}.",
      "  Request bodies over 4 MiB get a 413. Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
  await stopped;
  await handle.close();
  stderr.write("Truto sandbox stopped.\n");
  return 0;
}
