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

/** Starts the host with `settleMs` as the read-back window; reads are never cached, since tests edit the sandbox behind the provider. */
export function useProviderHost(sandbox: SandboxFixture, settleMs = 400): ProviderHostFixture {
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
      env: { TRUTO_API_TOKEN: sandbox.token, TRUTO_BASE_URL: sandbox.url, TRUTO_SETTLE_MS: String(settleMs), TRUTO_RATE_LIMIT: "off", TRUTO_READ_CACHE_MS: "0" },
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
