/**
 * Provider settings from a fake environment and a fake stack config: precedence, loopback-only plain
 * http, rate-limit syntax, and errors that name the setting and never the token.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_SETTLE_MS, clientFor, resolveSettings, type ConfigSource } from "../../src/provider/config";
import { DEFAULT_BASE_URL } from "../../src/truto/client";
import { isTrutoError, TrutoErrorCodes } from "../../src/truto/errors";

const TOKEN = "tr_env_token_7d3a91";
const CONFIG_TOKEN = "tr_config_token_c0ffee";

/** A stack config holding `values` under their namespaced keys (`truto:apiToken`). */
function config(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

/** Runs `fn`, expecting a TRUTO_CONFIG error, and returns its message. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isTrutoError(e, TrutoErrorCodes.config), String(e));
    return (e as Error).message;
  }
  assert.fail("expected a TRUTO_CONFIG error");
}

describe("config", () => {
  describe("resolveSettings", () => {
    it("uses Truto's API and the defaults when nothing is set", () => {
      const s = resolveSettings({});
      assert.deepEqual(s, {
        token: undefined,
        baseUrl: DEFAULT_BASE_URL,
        rateLimit: undefined,
        tokenRateLimit: undefined,
        timeoutMs: undefined,
        settleMs: DEFAULT_SETTLE_MS,
        protectedRoles: [],
        readCacheMs: undefined,
        readStrategy: undefined,
      });
      assert.equal(DEFAULT_BASE_URL, "https://api.truto.one");
    });

    it("lets the environment win over stack config", () => {
      const s = resolveSettings(
        {
          TRUTO_API_TOKEN: TOKEN,
          TRUTO_BASE_URL: "https://env.example.com",
          TRUTO_RATE_LIMIT: "10/1",
          TRUTO_TOKEN_RATE_LIMIT: "100/1",
          TRUTO_TIMEOUT_MS: "100",
          TRUTO_SETTLE_MS: "7",
          TRUTO_PROTECTED_ROLES: "manager, help-desk",
          TRUTO_READ_CACHE_MS: "0",
        },
        config({
          "truto:apiToken": CONFIG_TOKEN,
          "truto:baseUrl": "https://config.example.com",
          "truto:rateLimit": "off",
          "truto:tokenRateLimit": "off",
          "truto:timeoutMs": "200",
          "truto:settleMs": "8",
          "truto:protectedRoles": "owner",
          "truto:readCacheMs": "5000",
        }),
      );
      assert.deepEqual(s, {
        token: TOKEN,
        baseUrl: "https://env.example.com",
        rateLimit: { limit: 10, windowMs: 1_000 },
        tokenRateLimit: { limit: 100, windowMs: 1_000 },
        timeoutMs: 100,
        settleMs: 7,
        protectedRoles: ["manager", "help-desk"],
        readCacheMs: 0,
        readStrategy: undefined,
      });
    });

    it("falls back to the truto:apiToken stack config", () => {
      assert.equal(resolveSettings({}, config({ "truto:apiToken": CONFIG_TOKEN })).token, CONFIG_TOKEN);
    });

    it("treats an empty environment variable as unset", () => {
      assert.equal(resolveSettings({ TRUTO_API_TOKEN: "" }, config({ "truto:apiToken": CONFIG_TOKEN })).token, CONFIG_TOKEN);
    });

    it("reads every setting from stack config", () => {
      const s = resolveSettings(
        {},
        config({
          "truto:baseUrl": "http://127.0.0.1:8787",
          "truto:rateLimit": "5/2",
          "truto:tokenRateLimit": "off",
          "truto:timeoutMs": "1500",
          "truto:settleMs": "0",
          "truto:protectedRoles": '["Rl0A", "command-runner"]',
          "truto:readCacheMs": "250",
        }),
      );
      assert.deepEqual(s, {
        token: undefined,
        baseUrl: "http://127.0.0.1:8787",
        rateLimit: { limit: 5, windowMs: 2_000 },
        tokenRateLimit: false,
        timeoutMs: 1_500,
        settleMs: 0,
        protectedRoles: ["Rl0A", "command-runner"],
        readCacheMs: 250,
        readStrategy: undefined,
      });
    });

    it("reads protectedRoles as a comma or newline separated list, or a JSON array, and names a bad array", () => {
      assert.deepEqual(resolveSettings({ TRUTO_PROTECTED_ROLES: "manager,\n help-desk ,," }).protectedRoles, ["manager", "help-desk"]);
      assert.deepEqual(resolveSettings({ TRUTO_PROTECTED_ROLES: "  " }).protectedRoles, []);
      for (const bad of ['["manager", 7]', '["manager"']) {
        assert.throws(
          () => resolveSettings({}, config({ "truto:protectedRoles": bad })),
          (e: Error & { code?: string }) =>
            e.code === "TRUTO_CONFIG" && /truto:protectedRoles must be a JSON array of strings or a comma-separated list/.test(e.message),
        );
      }
    });

    it("trims the token", () => {
      assert.equal(resolveSettings({ TRUTO_API_TOKEN: `  ${TOKEN}\n` }).token, TOKEN);
    });

    it("treats a blank token as no token", () => {
      assert.equal(resolveSettings({ TRUTO_API_TOKEN: "   " }).token, undefined);
    });

    for (const url of [
      "http://127.0.0.1:8787",
      "http://localhost:3000",
      "http://[::1]:9000",
      "http://127.1.2.3",
      "https://api.truto.one",
    ]) {
      it(`allows ${url}`, () => {
        assert.equal(resolveSettings({ TRUTO_BASE_URL: url }).baseUrl, url);
      });
    }

    for (const url of [
      "http://api.truto.one",
      "http://10.0.0.5:8787",
      "http://localhost.example.com",
      "http://127.0.0.1@evil.example",
      "http://127.0.0.1.nip.io",
    ]) {
      it(`refuses plain http for ${url}, naming the setting and asking for https`, () => {
        const message = configError(() => resolveSettings({ TRUTO_BASE_URL: url }));
        assert.match(message, /TRUTO_BASE_URL/);
        assert.match(message, /loopback/);
        assert.match(message, /https:\/\//);
      });
    }

    it("names truto:baseUrl when the bad URL came from stack config", () => {
      assert.match(
        configError(() => resolveSettings({}, config({ "truto:baseUrl": "http://example.com" }))),
        /truto:baseUrl/,
      );
    });

    it("refuses a base URL that is not a URL or uses another protocol", () => {
      assert.match(
        configError(() => resolveSettings({ TRUTO_BASE_URL: "api.truto.one" })),
        /not a URL/,
      );
      assert.match(
        configError(() => resolveSettings({ TRUTO_BASE_URL: "ftp://api.truto.one" })),
        /protocol/,
      );
    });

    it('reads the rate limit "50/10" as 50 requests per 10 seconds', () => {
      assert.deepEqual(resolveSettings({ TRUTO_RATE_LIMIT: "50/10" }).rateLimit, { limit: 50, windowMs: 10_000 });
      assert.deepEqual(resolveSettings({ TRUTO_RATE_LIMIT: " 50 / 10s " }).rateLimit, { limit: 50, windowMs: 10_000 });
      assert.deepEqual(resolveSettings({ TRUTO_RATE_LIMIT: "3/0.5" }).rateLimit, { limit: 3, windowMs: 500 });
    });

    it('reads the rate limit "off" as no pacing', () => {
      assert.equal(resolveSettings({ TRUTO_RATE_LIMIT: "off" }).rateLimit, false);
      assert.equal(resolveSettings({ TRUTO_RATE_LIMIT: "OFF" }).rateLimit, false);
    });

    for (const bad of ["fast", "50", "0/10", "50/0", "-1/10", "50/10m"]) {
      it(`refuses the rate limit "${bad}", naming the setting and the expected form`, () => {
        const message = configError(() => resolveSettings({ TRUTO_RATE_LIMIT: bad }));
        assert.match(message, /TRUTO_RATE_LIMIT/);
        assert.match(message, /"50\/10"/);
        assert.match(message, /"off"/);
      });
    }

    it("reads the per-token rate limit like the per-account one, with its own example in errors", () => {
      assert.deepEqual(resolveSettings({ TRUTO_TOKEN_RATE_LIMIT: "500/10" }).tokenRateLimit, { limit: 500, windowMs: 10_000 });
      assert.equal(resolveSettings({}, config({ "truto:tokenRateLimit": "off" })).tokenRateLimit, false);
      const message = configError(() => resolveSettings({ TRUTO_TOKEN_RATE_LIMIT: "many" }));
      assert.match(message, /TRUTO_TOKEN_RATE_LIMIT/);
      assert.match(message, /"500\/10"/);
    });

    it("reads the read strategy, coalesced or per-resource, and names a bad one", () => {
      assert.equal(resolveSettings({ TRUTO_READ_STRATEGY: "per-resource" }).readStrategy, "per-resource");
      assert.equal(resolveSettings({}, config({ "truto:readStrategy": "Coalesced" })).readStrategy, "coalesced");
      assert.match(
        configError(() => resolveSettings({ TRUTO_READ_STRATEGY: "batched" })),
        /TRUTO_READ_STRATEGY must be "coalesced" or "per-resource"/,
      );
    });

    it("names truto:rateLimit when the bad rate limit came from stack config", () => {
      assert.match(
        configError(() => resolveSettings({}, config({ "truto:rateLimit": "lots" }))),
        /truto:rateLimit/,
      );
    });

    it("refuses timeouts that are not a number of milliseconds, naming the setting", () => {
      assert.match(
        configError(() => resolveSettings({ TRUTO_TIMEOUT_MS: "abc" })),
        /TRUTO_TIMEOUT_MS/,
      );
      assert.match(
        configError(() => resolveSettings({ TRUTO_TIMEOUT_MS: "-5" })),
        /TRUTO_TIMEOUT_MS/,
      );
      assert.match(
        configError(() => resolveSettings({}, config({ "truto:settleMs": "soon" }))),
        /truto:settleMs/,
      );
    });

    it("never puts the token in a setting's error", () => {
      const message = configError(() =>
        resolveSettings({ TRUTO_API_TOKEN: TOKEN, TRUTO_RATE_LIMIT: "nope" }, config({ "truto:apiToken": CONFIG_TOKEN })),
      );
      assert.ok(!message.includes(TOKEN) && !message.includes(CONFIG_TOKEN));
    });
  });

  describe("clientFor", () => {
    it("fails without a token, saying how to set TRUTO_API_TOKEN or the secret stack config", () => {
      const message = configError(() => clientFor(resolveSettings({})));
      assert.match(message, /TRUTO_API_TOKEN/);
      assert.ok(message.includes("pulumi config set --secret truto:apiToken"), message);
    });

    it("builds a client for the resolved base URL", () => {
      const client = clientFor(resolveSettings({ TRUTO_API_TOKEN: TOKEN, TRUTO_BASE_URL: "http://127.0.0.1:8787/" }));
      assert.equal(client.baseUrl, "http://127.0.0.1:8787");
    });
  });
});
