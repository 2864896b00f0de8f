/**
 * Mocha helper for lifecycle tests: a consumer project and the real provider host started in it against a
 * sandbox fixture (in `before`), killed and removed in `after`, plus the Check call every test starts with.
 */
import { strict as assert } from "node:assert";
import { roleAssignmentProvider } from "../../src/provider/shim";
import { makeConsumerProject, type ConsumerProject } from "../../tools/engine/consumer-project";
import { startHost, urn, type Host } from "./host";
import { serializeProvider } from "./pulumi-values";
import type { SandboxFixture } from "./sandbox-fixture";

type Props = Record<string, unknown>;

/** What {@link useProviderHost} exposes; read it inside tests or hooks. */
export interface ProviderHostFixture {
  readonly host: Host;
  /** The consumer project's directory, for tests that start a host of their own. */
  readonly consumerDir: string;
  /** `inputs` with the serialized provider, as the SDK registers them. */
  withProvider(inputs: Props): Props;
  /** Check as on `pulumi up`, failing the test on any failure; returns the checked inputs. */
  checked(name: string, inputs: Props, olds?: Props): Promise<Props>;
}

/**
 * Starts the host with `settleMs` as the read-back window and `env` added to its environment; reads are never
 * cached, since tests edit the sandbox behind the provider.
 */
export function useProviderHost(sandbox: SandboxFixture, settleMs = 400, env: Record<string, string> = {}): ProviderHostFixture {
  let consumer: ConsumerProject | undefined;
  let host: Host | undefined;
  let providerText = "";
  const get = (): Host => {
    if (!host) throw new Error("The provider host is not running yet: use the fixture inside tests or hooks.");
    return host;
  };
  before(async () => {
    consumer = await makeConsumerProject();
    providerText = await serializeProvider(roleAssignmentProvider);
    host = await startHost({
      cwd: consumer.dir,
      env: {
        TRUTO_API_TOKEN: sandbox.token,
        TRUTO_BASE_URL: sandbox.url,
        TRUTO_SETTLE_MS: String(settleMs),
        TRUTO_RATE_LIMIT: "off",
        TRUTO_READ_CACHE_MS: "0",
        ...env,
      },
    });
    await host.configure({});
  });
  after(async () => {
    await host?.kill();
    await consumer?.cleanup();
  });
  const withProvider = (inputs: Props): Props => ({ ...inputs, __provider: providerText });
  return {
    get host() {
      return get();
    },
    get consumerDir() {
      if (!consumer) throw new Error("The consumer project does not exist yet.");
      return consumer.dir;
    },
    withProvider,
    async checked(name, inputs, olds = {}) {
      const res = await get().check(urn(name), olds, withProvider(inputs));
      assert.deepEqual(res.failures, [], `check failed: ${JSON.stringify(res.failures)}`);
      return res.inputs;
    },
  };
}

/** A resource as the engine holds it between calls: its name, id and last outputs. */
export interface LiveResource {
  name: string;
  id: string;
  outputs: Props;
}

/**
 * The engine's calls for one resource, in its order, through `provider`'s host: Check then Create; Check, Diff
 * (which must see a change) then Update; Delete with the stored outputs. The class sets `resourceName` to the
 * resource's name, and so do these.
 */
export function resourceCalls(provider: ProviderHostFixture) {
  async function create(name: string, inputs: Props): Promise<LiveResource> {
    const ins = await provider.checked(name, { ...inputs, resourceName: name });
    const { id, outputs } = await provider.host.create(urn(name), ins);
    return { name, id, outputs };
  }
  async function update(live: LiveResource, inputs: Props): Promise<LiveResource> {
    const news = await provider.checked(live.name, { ...inputs, resourceName: live.name }, live.outputs);
    const diff = await provider.host.diff(live.id, urn(live.name), live.outputs, news);
    assert.equal(diff.changes, "some");
    const { outputs } = await provider.host.update(live.id, urn(live.name), live.outputs, news);
    return { ...live, outputs };
  }
  const remove = (live: LiveResource) => provider.host.delete(live.id, urn(live.name), live.outputs);
  return { create, update, remove };
}
