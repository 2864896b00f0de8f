/**
 * Proves the host harness against the real dynamic-provider host, using a tiny in-memory provider
 * package (test/fixtures/tiny-provider) linked into a consumer project, so the product's lifecycle
 * tests can trust what the harness sends and decodes.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { makeConsumerProject, type ConsumerProject } from "../../tools/engine/consumer-project";
import { packageRoot } from "../../tools/engine/package-root";
import { GrpcStatus, HostCallError, engineConfigArgs, proto, startHost, urn, type Host } from "../support/host";
import { SECRET_SIG, SIG_KEY, UNKNOWN, UNKNOWN_ARRAY, UNKNOWNS, serializeProvider } from "../support/pulumi-values";

const TINY_DIR = path.join(__dirname, "..", "fixtures", "tiny-provider");
const TINY_TYPE = "pulumi-nodejs:dynamic/tiny:Thing";
const TOKEN = "tiny-secret-token-9f1c";
type Props = Record<string, unknown>;

// The shim the program would serialize: each method requires the implementation by package name at
// run time, resolved from the host's cwd, exactly as the product's shim does.
const tinyShim = {
  async configure(req: unknown) {
    return require("tiny-provider").configure(req);
  },
  async check(olds: unknown, news: unknown) {
    return require("tiny-provider").check(olds, news);
  },
  async diff(id: string, olds: unknown, news: unknown) {
    return require("tiny-provider").diff(id, olds, news);
  },
  async create(inputs: unknown) {
    return require("tiny-provider").create(inputs);
  },
  async read(id: string, props: unknown) {
    return require("tiny-provider").read(id, props);
  },
  async update(id: string, olds: unknown, news: unknown) {
    return require("tiny-provider").update(id, olds, news);
  },
  async delete(id: string, props: unknown) {
    return require("tiny-provider").delete(id, props);
  },
};

/** Runs `fn`, which must reject with a HostCallError, and returns that error. */
async function callError(fn: () => Promise<unknown>): Promise<HostCallError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof HostCallError, `expected a HostCallError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

describe("host harness (real dynamic-provider host)", () => {
  let consumer: ConsumerProject;
  let providerText: string;
  const hosts: Host[] = [];

  async function host(): Promise<Host> {
    const started = await startHost({ cwd: consumer.dir });
    hosts.push(started);
    return started;
  }

  before(async () => {
    consumer = await makeConsumerProject({ links: { "tiny-provider": TINY_DIR } });
    providerText = await serializeProvider(tinyShim);
  });

  after(async () => {
    for (const h of hosts) await h.kill();
    await consumer?.cleanup();
  });

  describe("support modules", () => {
    it("links the repository and @pulumi into the consumer's node_modules", () => {
      const resolved = require.resolve("pulumi-truto-access/package.json", { paths: [consumer.dir] });
      assert.equal(realpathSync(resolved), realpathSync(path.join(packageRoot(), "package.json")));
      const pulumiPkg = require.resolve("@pulumi/pulumi/package.json", { paths: [consumer.dir] });
      assert.equal(realpathSync(pulumiPkg), realpathSync(require.resolve("@pulumi/pulumi/package.json")));
    });

    it("cleanup removes the project and leaves the linked repository alone", async () => {
      const spare = await makeConsumerProject();
      await spare.cleanup();
      assert.equal(existsSync(spare.dir), false);
      assert.equal(existsSync(path.join(packageRoot(), "package.json")), true);
      assert.equal(existsSync(path.join(packageRoot(), "node_modules", "@pulumi", "pulumi", "package.json")), true);
    });

    it("uses the SDK's own sentinel and secret signature", () => {
      const rpc = require("@pulumi/pulumi/runtime/rpc");
      assert.equal(UNKNOWN, rpc.unknownValue);
      assert.equal(SIG_KEY, rpc.specialSigKey);
      assert.equal(SECRET_SIG, rpc.specialSecretSig);
      assert.equal(new Set(UNKNOWNS).size, 7);
    });

    it("namespaces bare config keys with the project and wraps secrets with the secret signature", () => {
      assert.deepEqual(engineConfigArgs({ apiUrl: "http://127.0.0.1:1", "truto:apiToken": { secret: "t" } }, "proj"), {
        "proj:apiUrl": "http://127.0.0.1:1",
        "truto:apiToken": { [SIG_KEY]: SECRET_SIG, value: "t" },
      });
    });

    it("serializes the shim with a by-name require, not the implementation", () => {
      assert.match(providerText, /^exports\.handler = /);
      assert.ok(providerText.includes('require("tiny-provider")'));
      assert.ok(!providerText.includes("records"), "the implementation must not be inlined");
    });
  });

  describe("one host, engine call order", () => {
    let h: Host;
    const u = urn("alice", TINY_TYPE);

    before(async () => {
      h = await host();
      await h.configure({ "tiny:token": { secret: TOKEN }, label: "from-project-namespace" });
    });

    it("answers GetPluginInfo with the installed SDK version", async () => {
      const info = await h.raw<{ getVersion(): string }>("getPluginInfo", new proto.empty.Empty());
      assert.equal(info.getVersion(), require("@pulumi/pulumi/package.json").version);
    });

    it("runs check → create → check → diff → update → read → delete with state threaded as the engine does", async () => {
      const news1 = { name: "alice", roles: ["admin"], __provider: providerText };
      const checked1 = await h.check(u, {}, news1);
      assert.deepEqual(checked1.failures, []);
      assert.equal(checked1.inputs.__provider, providerText);

      const created = await h.create(u, checked1.inputs);
      assert.match(created.id, /^tiny-\d+$/);
      assert.deepEqual(created.outputs.roles, ["admin"]);
      assert.equal(created.outputs.__provider, providerText, "the host re-adds __provider to outputs");
      // configure ran lazily on first use, with the secret unwrapped and the bare key project-namespaced.
      assert.equal(created.outputs.configured, true);
      assert.equal(created.outputs.tokenSha256, sha256(TOKEN));
      assert.equal(created.outputs.label, "from-project-namespace");

      const news2 = { name: "alice", roles: ["admin", "billing"], __provider: providerText };
      const checked2 = await h.check(u, checked1.inputs, news2);
      const same = await h.diff(created.id, u, created.outputs, checked1.inputs, checked1.inputs);
      assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });
      const changed = await h.diff(created.id, u, created.outputs, checked2.inputs, checked1.inputs);
      assert.deepEqual(changed, { changes: "some", replaces: [], deleteBeforeReplace: false });

      const updated = await h.update(created.id, u, created.outputs, checked2.inputs, checked1.inputs);
      assert.deepEqual(updated.outputs.roles, ["admin", "billing"]);
      assert.equal(updated.outputs.__provider, providerText);

      const read = await h.read(created.id, u, updated.outputs, checked2.inputs);
      assert.equal(read.id, created.id);
      assert.deepEqual(read.outputs.roles, ["admin", "billing"]);
      assert.equal(read.inputsReturned, true);
      assert.deepEqual(read.inputs, { name: "alice", roles: ["admin", "billing"], __provider: providerText });

      await h.delete(created.id, u, read.outputs, checked2.inputs);
      const gone = await h.read(created.id, u, read.outputs, checked2.inputs);
      assert.equal(gone.id, "", "an empty id tells the engine the resource is gone");

      // Provider console output is captured, in call order, and the secret never appears.
      const log = h.output();
      const order = [
        "check alice",
        `create ${created.id}`,
        `diff ${created.id}`,
        `update ${created.id}`,
        `read ${created.id}`,
        `delete ${created.id}`,
      ];
      let at = -1;
      for (const line of order) {
        const next = log.indexOf(`tiny-provider: ${line}`, at + 1);
        assert.ok(next > at, `expected "tiny-provider: ${line}" after position ${at} in host output:\n${log}`);
        at = next;
      }
      assert.ok(!log.includes(TOKEN), "the host output must not contain the token");
    });

    it("reports a replace, and delete-before-replace when the provider asks", async () => {
      const olds = { name: "bob", roles: [], __provider: providerText };
      const renamed = { name: "robert", roles: [], __provider: providerText };
      assert.deepEqual(await h.diff("tiny-x", u, olds, renamed), { changes: "some", replaces: ["name"], deleteBeforeReplace: false });
      assert.deepEqual(await h.diff("tiny-x", u, olds, { ...renamed, exclusive: true }), {
        changes: "some",
        replaces: ["name"],
        deleteBeforeReplace: true,
      });
    });

    it("passes unknown sentinels through check untouched and returns check failures", async () => {
      const preview = await h.check(u, {}, { name: UNKNOWN, roles: UNKNOWN_ARRAY, __provider: providerText });
      assert.deepEqual(preview.failures, [{ property: "roles", reason: "roles must be a list of strings" }]);
      const unknownName = await h.check(u, {}, { name: UNKNOWN, roles: ["admin", UNKNOWN], __provider: providerText });
      assert.deepEqual(unknownName.failures, []);
      assert.equal(unknownName.inputs.name, UNKNOWN);
      assert.deepEqual(unknownName.inputs.roles, ["admin", UNKNOWN]);
      const invalid = await h.check(u, {}, { name: "", __provider: providerText });
      assert.deepEqual(invalid.failures, [{ property: "name", reason: "name must be a non-empty string" }]);
    });

    it("decodes a partial failure from the grpc-status-details-bin trailer", async () => {
      const err = await callError(() => h.create(u, { name: "carol", roles: ["boom"], fail: "partial", __provider: providerText }));
      assert.equal(err.grpcCode, GrpcStatus.UNKNOWN);
      assert.match(err.details, /carol created as tiny-\d+ but role "boom" could not be granted/);
      assert.ok(err.initFailure, "expected the ErrorResourceInitFailed detail");
      assert.match(err.initFailure.id, /^tiny-\d+$/);
      assert.deepEqual(err.initFailure.reasons, ['role "boom" could not be granted']);
      assert.equal(err.initFailure.properties.name, "carol");
      assert.equal(err.initFailure.properties.__provider, providerText);
      // The partial state is usable: Delete with those properties loads the provider and succeeds.
      await h.delete(err.initFailure.id, u, err.initFailure.properties);
    });

    it("surfaces a plain error's message without an init failure", async () => {
      const err = await callError(() => h.create(u, { name: "dave", fail: "plain", __provider: providerText }));
      assert.equal(err.grpcCode, GrpcStatus.UNKNOWN);
      assert.equal(err.details, "tiny-provider: create of dave refused (fail=plain)");
      assert.equal(err.initFailure, undefined);
      assert.equal(err.rpc, "Create");
      assert.match(err.message, /Create on the provider host \(pid \d+, 127\.0\.0\.1:\d+/);

      // Errors from check/diff/read/delete take the other path (callback(e)); same code, same message.
      const checkErr = await callError(() => h.check(u, {}, { name: "throw-in-check", __provider: providerText }));
      assert.equal(checkErr.grpcCode, GrpcStatus.UNKNOWN);
      assert.equal(checkErr.details, "tiny-provider: check refused name throw-in-check");
      assert.ok(h.output().includes("check refused name throw-in-check"), "the host logs those errors to stderr");
    });

    it("shows that the host fails on undefined in a returned object, and that stripping it works", async () => {
      const before = await h.create(u, { name: "erin", outs: "undefined-stripped", __provider: providerText });
      assert.equal("note" in before.outputs, false, "a stripped undefined is simply absent");
      // The host's Struct.fromJavaScript rejects undefined: a plain "Unexpected struct type." error...
      const err = await callError(() => h.create(u, { name: "erin", outs: "undefined-raw", __provider: providerText }));
      assert.equal(err.grpcCode, GrpcStatus.UNKNOWN);
      assert.match(err.details, /Unexpected struct type/);
      assert.equal(err.initFailure, undefined);
      // ...raised after create() ran, so the provider's record exists but the engine got no id: an orphan.
      const after = await h.create(u, { name: "erin", outs: "undefined-stripped", __provider: providerText });
      assert.equal(after.outputs.liveRecords, (before.outputs.liveRecords as number) + 2);
    });

    it("refuses to send undefined itself, naming where it is", async () => {
      await assert.rejects(
        () => h.create(u, { name: "frank", roles: [undefined], __provider: providerText }),
        /Create properties has undefined at "roles\.0"/,
      );
    });

    it("fires the deadline on a Configure without args (which never answers), and the host lives on", async () => {
      const err = await callError(() => h.raw("configure", new proto.provider.ConfigureRequest(), { deadlineMs: 300 }));
      assert.equal(err.grpcCode, GrpcStatus.DEADLINE_EXCEEDED);
      assert.match(err.message, /no answer within 300 ms/);
      const still = await h.check(u, {}, { name: "gina", __provider: providerText });
      assert.deepEqual(still.failures, []);
    });
  });

  describe("configure race on first use of a provider text", () => {
    it("lets parallel creates run on the unconfigured provider while configure awaits (documents the host)", async () => {
      const h = await host();
      // raceGate: the tiny configure holds until two creates have started (or 5 s, if the host waited).
      await h.configure({ "tiny:token": { secret: TOKEN }, raceGate: "2" });
      const u = urn("race", TINY_TYPE);
      const results = await Promise.all(["r1", "r2", "r3"].map((name) => h.create(u, { name, roles: [], __provider: providerText })));
      const configured = results.map((r) => r.outputs.configured);
      // Observed with @pulumi/pulumi 3.276: the host caches the provider before awaiting configure,
      // so only the call that triggered configure sees it done; the other two run unconfigured.
      assert.deepEqual(
        configured.filter((c) => c === true).length,
        1,
        `expected exactly one configured create, got ${JSON.stringify(configured)}`,
      );
      assert.equal(configured.filter((c) => c === false).length, 2);
      await h.kill();
    });
  });

  describe("kill and restart", () => {
    it("fails calls to a killed host with UNAVAILABLE, and a restarted host starts empty", async () => {
      const first = await host();
      await first.configure({ "tiny:token": { secret: TOKEN } });
      const u = urn("henry", TINY_TYPE);
      const created = await first.create(u, { name: "henry", roles: [], __provider: providerText });
      await first.kill();
      await first.kill(); // idempotent
      const err = await callError(() => first.read(created.id, u, created.outputs));
      assert.equal(err.grpcCode, GrpcStatus.UNAVAILABLE);

      const second = await host();
      assert.notEqual(second.pid, first.pid);
      await second.configure({ "tiny:token": { secret: TOKEN } });
      // The tiny provider keeps records in memory, so they died with the old process.
      const read = await second.read(created.id, u, created.outputs);
      assert.equal(read.id, "");
      const again = await second.create(u, { name: "henry", roles: [], __provider: providerText });
      assert.equal(again.outputs.configured, true);

      // A crash (the process dies under the client) is gRPC's own UNAVAILABLE, not the harness's.
      process.kill(second.pid, "SIGKILL");
      assert.deepEqual(await second.exited, { code: null, signal: "SIGKILL" });
      const crashErr = await callError(() => second.read(again.id, u, again.outputs));
      assert.equal(crashErr.grpcCode, GrpcStatus.UNAVAILABLE);
      assert.doesNotMatch(crashErr.details, /stopped with kill\(\)/);
      await second.kill(); // still resolves once the process is gone
    });
  });
});
