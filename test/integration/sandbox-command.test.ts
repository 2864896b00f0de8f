import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sandboxCommand } from "../../src/cli/sandbox-command";
import { SEED_IDS } from "../../src/sandbox";
import { sandboxCall } from "../support/sandbox-fixture";

/** Collects what the command writes, and resolves `firstLine` when stdout has a whole line. */
function capture() {
  let stdout = "";
  let stderr = "";
  let onLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  return {
    io: {
      stdout: {
        write(text: string) {
          stdout += text;
          if (stdout.includes("\n")) onLine(stdout.slice(0, stdout.indexOf("\n")));
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
    },
    firstLine,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

describe("sandbox command", () => {
  it("prints usage for --help and exits 0", async () => {
    const out = capture();
    assert.equal(await sandboxCommand(["--help"], out.io), 0);
    assert.match(out.stdout, /Usage: pulumi-truto-access sandbox/);
    assert.match(out.stdout, /--rate-limit N\/SECONDS/);
    assert.match(out.stdout, /--token-rate-limit N\/SECONDS/);
    assert.match(out.stdout, /--vendor-quota N\/SECONDS/);
  });

  for (const args of [
    ["--bogus"],
    ["--port", "abc"],
    ["--port"],
    ["--rate-limit", "5"],
    ["--latency", "-3"],
    ["--strict=yes"],
    ["--token-rate-limit", "500"],
    ["--token-rate-limit=0/10"],
    ["--vendor-quota", "fast"],
    ["--vendor-quota"],
  ]) {
    it(`exits 2 with a clear message for ${args.join(" ")}`, async () => {
      const out = capture();
      assert.equal(await sandboxCommand(args, out.io), 2);
      assert.match(out.stderr, /pulumi-truto-access sandbox: /);
      assert.match(out.stderr, /--help/);
      assert.equal(out.stdout, "");
    });
  }

  it("prints {url, token} first, serves until stopped, then closes and exits 0", async () => {
    const out = capture();
    const stop = new AbortController();
    const args = [
      "--token",
      "sbx_cli_test",
      "--rate-limit",
      "3/60",
      "--token-rate-limit=7/2",
      "--vendor-quota",
      "9/0.5",
      "--strict",
      "--latency=0",
    ];
    const exit = sandboxCommand(args, {
      ...out.io,
      signal: stop.signal,
    });
    const ready = JSON.parse(await out.firstLine) as { url: string; token: string };
    assert.deepEqual(Object.keys(ready).sort(), ["token", "url"]);
    assert.equal(ready.token, "sbx_cli_test");
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const config = await sandboxCall(ready.url, ready.token, "GET", "/_sandbox/config");
    assert.deepEqual(config.body, {
      rateLimit: { limit: 3, windowMs: 60_000 },
      tokenRateLimit: { limit: 7, windowMs: 2_000 },
      vendorQuota: { limit: 9, windowMs: 500 },
      latencyMs: 0,
      strictIdempotency: true,
    });
    const account = await sandboxCall(ready.url, ready.token, "GET", `/integrated-account/${SEED_IDS.accounts.jumpcloud}`);
    assert.equal(account.status, 200);
    assert.match(out.stderr, /export TRUTO_BASE_URL=http:\/\/127\.0\.0\.1:\d+ TRUTO_API_TOKEN=/);
    assert.match(out.stderr, /rate limits: +3 requests per 60 s per integrated account; 7 requests per 2 s per API token/);
    assert.match(out.stderr, /vendor quota: +9 requests per 0\.5 s per integrated account/);
    stop.abort();
    assert.equal(await exit, 0);
    await assert.rejects(sandboxCall(ready.url, ready.token, "GET", "/_sandbox/state"));
  });

  it("stops on SIGTERM, and by default has both of Truto's limits and no vendor quota", async () => {
    const out = capture();
    const exit = sandboxCommand([], out.io);
    const ready = JSON.parse(await out.firstLine) as { url: string; token: string };
    const config = await sandboxCall(ready.url, ready.token, "GET", "/_sandbox/config");
    assert.deepEqual(
      [config.body.rateLimit, config.body.tokenRateLimit, config.body.vendorQuota],
      [{ limit: 50, windowMs: 10_000 }, { limit: 500, windowMs: 10_000 }, false],
    );
    assert.match(out.stderr, /vendor quota: +off/);
    process.emit("SIGTERM");
    assert.equal(await exit, 0);
    assert.match(out.stderr, /stopped/);
  });

  it("uses --state and exits 1 with the reason when the file is corrupt", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "sandbox-cli-"));
    try {
      const file = path.join(dir, "state.json");
      await fs.writeFile(file, "not json");
      const out = capture();
      assert.equal(await sandboxCommand(["--state", file], out.io), 1);
      assert.match(out.stderr, /could not start/);
      assert.ok(out.stderr.includes(file));
      assert.equal(out.stdout, "");
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 naming the state file and what to do when its folder does not exist", async () => {
    const file = path.join(os.tmpdir(), `sandbox-cli-missing-${process.pid}`, "dir", "x.json");
    const out = capture();
    assert.equal(await sandboxCommand(["--state", file], out.io), 1);
    assert.ok(out.stderr.includes(file), out.stderr);
    assert.ok(!out.stderr.includes(".tmp"), out.stderr);
    assert.match(out.stderr, /create the folder/i);
  });
});
