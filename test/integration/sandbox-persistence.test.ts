import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultSeed, SEED_IDS, startSandbox, type SandboxHandle } from "../../src/sandbox";
import { sandboxCall } from "../support/sandbox-fixture";

const { accounts, jumpcloud } = SEED_IDS;
const ASSIGN = `/unified/user-directory/users/assign-role?integrated_account_id=${accounts.jumpcloud}`;

describe("sandbox persistence", () => {
  let dir: string;
  let file: string;
  const open: SandboxHandle[] = [];

  async function start(extra: Parameters<typeof startSandbox>[0] = {}): Promise<SandboxHandle> {
    const handle = await startSandbox({ stateFile: file, ...extra });
    open.push(handle);
    return handle;
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "sandbox-state-"));
    file = path.join(dir, "state.json");
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((handle) => handle.close()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("writes the seed to a state file that does not exist yet", async () => {
    await start();
    assert.deepEqual(JSON.parse(await fs.readFile(file, "utf8")), defaultSeed());
  });

  it("keeps an API change across a restart", async () => {
    const first = await start();
    const grant = await sandboxCall(first.url, first.token, "POST", ASSIGN, {
      body: { id: jumpcloud.users.alice, roles: [{ id: "manager" }] },
    });
    assert.equal(grant.status, 200, grant.text);
    // Written before the response was sent, so the file already holds it.
    const onDisk = JSON.parse(await fs.readFile(file, "utf8"));
    assert.deepEqual(onDisk.users.find((u: { id: string }) => u.id === jumpcloud.users.alice).roles, [{ id: "manager" }]);
    await first.close();

    const second = await start();
    const user = await sandboxCall(
      second.url,
      second.token,
      "GET",
      `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`,
    );
    assert.deepEqual(user.body.roles, [{ id: "manager", name: "Manager" }]);
  });

  it("persists admin PUT and reset", async () => {
    const handle = await start();
    const state = defaultSeed();
    state.users = state.users.filter((u) => u.accountId !== accounts.teamviewer);
    const put = await sandboxCall(handle.url, handle.token, "PUT", "/_sandbox/state", { body: state });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(JSON.parse(await fs.readFile(file, "utf8")), state);
    const reset = await sandboxCall(handle.url, handle.token, "POST", "/_sandbox/reset");
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(JSON.parse(await fs.readFile(file, "utf8")), defaultSeed());
  });

  it("leaves no temporary files behind", async () => {
    const handle = await start();
    for (let i = 0; i < 5; i += 1) {
      await sandboxCall(handle.url, handle.token, "POST", ASSIGN, { body: { id: jumpcloud.users.dan, roles: [{ id: "manager" }] } });
    }
    await handle.close();
    assert.deepEqual(await fs.readdir(dir), ["state.json"]);
  });

  it("names the state file, not its temp copy, and says to create the folder when the folder is missing", async () => {
    const missing = path.join(dir, "no-such-folder", "state.json");
    await assert.rejects(startSandbox({ stateFile: missing }), (error: Error) => {
      assert.ok(error.message.includes(missing), error.message);
      assert.ok(!error.message.includes(".tmp"), error.message);
      assert.match(error.message, /create the folder/i);
      return true;
    });
  });

  it("removes the temp copies a SIGKILLed sandbox left behind, and nothing else", async () => {
    // A real process killed with SIGKILL stands in for the sandbox (loading the whole sandbox in a
    // child costs seconds of CPU): once it is gone, temp copies named with its pid are stale.
    const child = spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"], { stdio: "ignore" });
    await new Promise((resolve, reject) => child.once("spawn", resolve).once("error", reject));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const stale = [`.state.json.${child.pid}.1.tmp`, `.state.json.${child.pid}.7.tmp`];
    // Not the sandbox's temp pattern for this file, or owned by a process that is still running.
    const kept = [
      `.state.json.${process.ppid}.1.tmp`,
      `.state.json.${child.pid}.1.tmp.bak`,
      `.other.json.${child.pid}.1.tmp`,
      `state.json.${child.pid}.1.tmp`,
      `.state.json.abc.1.tmp`,
      "notes.txt",
    ];
    for (const name of [...stale, ...kept]) await fs.writeFile(path.join(dir, name), "{}");
    await start();
    assert.deepEqual((await fs.readdir(dir)).sort(), ["state.json", ...kept].sort());
  });

  it("refuses to start from a file that is not JSON, naming it and saying what to do", async () => {
    await fs.writeFile(file, "{ this is not json");
    await assert.rejects(start(), (error: Error) => {
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /not valid JSON/);
      assert.match(error.message, /delete it/);
      return true;
    });
    assert.equal(await fs.readFile(file, "utf8"), "{ this is not json", "the file was not reset");
  });

  it("refuses to start from JSON of the wrong shape, saying which field is wrong", async () => {
    const state: Record<string, unknown> = { ...defaultSeed(), users: [{ accountId: accounts.jumpcloud, id: 7 }] };
    await fs.writeFile(file, JSON.stringify(state));
    await assert.rejects(start(), (error: Error) => {
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /users/);
      assert.match(error.message, /Fix the file, or delete it/);
      return true;
    });
  });

  it("answers 400 to a malformed PUT /_sandbox/state and keeps the old state", async () => {
    const handle = await start();
    const bad = { ...defaultSeed(), users: [{ ...defaultSeed().users[0], accountId: "no-such-account" }] };
    const response = await sandboxCall(handle.url, handle.token, "PUT", "/_sandbox/state", { body: bad });
    assert.equal(response.status, 400);
    assert.match(response.body.message, /accountId "no-such-account" is not in accounts/);
    assert.deepEqual(JSON.parse(await fs.readFile(file, "utf8")), defaultSeed());
    const typo = await sandboxCall(handle.url, handle.token, "PUT", "/_sandbox/state", { body: { ...defaultSeed(), user: [] } });
    assert.equal(typo.status, 400);
    assert.match(typo.body.message, /Unrecognized key/);
  });

  it("starts from the seed option and resets to it", async () => {
    const seed = defaultSeed();
    seed.accounts = seed.accounts.filter((a) => a.id === accounts.jumpcloud);
    for (const key of ["users", "roles", "workspaces", "organizations"] as const) {
      seed[key] = seed[key].filter((record) => record.accountId === accounts.jumpcloud) as never;
    }
    const handle = await startSandbox({ seed });
    open.push(handle);
    await sandboxCall(handle.url, handle.token, "PUT", "/_sandbox/state", { body: defaultSeed() });
    await sandboxCall(handle.url, handle.token, "POST", "/_sandbox/reset");
    const state = await sandboxCall(handle.url, handle.token, "GET", "/_sandbox/state");
    assert.deepEqual(state.body, seed);
  });

  it("rejects a seed option that is not valid state", async () => {
    const seed = { ...defaultSeed(), accounts: [] };
    await assert.rejects(startSandbox({ seed }), /seed option is not valid/);
  });
});
