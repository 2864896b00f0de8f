/**
 * The token Truto or a vendor echoes back never leaves the real provider host, whatever form the echo
 * takes: in truto_error_insight's field lists, in a long text body where any cut could split it, and
 * percent-encoded as a vendor echoing the request URL would send it. The token has `+` and `/`, so its
 * encoded form differs from the raw one (issue 9, item 4, at host level).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { SEED_IDS } from "../../src/sandbox";
import { urn } from "../support/host";
import { useProviderHost } from "../support/provider-host";
import { useSandbox } from "../support/sandbox-fixture";
import { hostFailure, leaksPart } from "../support/truto-assertions";

// Built at run time so no literal in the repository looks like a credential; base64 brings + and /.
function slashyToken(): string {
  for (;;) {
    const t = `sbx_${randomBytes(24).toString("base64")}`;
    if (t.includes("+") && t.includes("/")) return t;
  }
}

const TOKEN = slashyToken();
const ASSIGN = "/unified/user-directory/users/assign-role";
const account = SEED_IDS.accounts.jumpcloud;
const inputs = {
  integratedAccountId: account,
  integration: "jumpcloud",
  userId: SEED_IDS.jumpcloud.users.carol,
  roles: [{ id: "read-only" }],
};

describe("the token echoed back, through the provider host", function () {
  this.timeout(60_000);
  const sandbox = useSandbox({ token: TOKEN, rateLimit: false });
  const provider = useProviderHost(sandbox);
  const forms = [TOKEN, encodeURIComponent(TOKEN), encodeURIComponent(encodeURIComponent(TOKEN))];

  const refusedWith = async (name: string, fault: Record<string, unknown>) => {
    await sandbox.admin.faults({ method: "POST", path: ASSIGN, count: 10, ...fault });
    const checked = await provider.checked(name, inputs);
    const e = await hostFailure(provider.host.create(urn(name), checked));
    return `${e.message}\n${JSON.stringify(e)}`;
  };
  const assertClean = (text: string, where: string) => {
    assert.notEqual(encodeURIComponent(TOKEN), TOKEN, "the test's token must change when encoded");
    for (const form of forms) assert.ok(!leaksPart(text, form), `a piece of the token (or its encoded form) is in ${where}`);
  };

  it("not through truto_error_insight's field lists", async () => {
    const text = await refusedWith("insight", {
      status: 400,
      body: {
        statusCode: 400,
        error: "Bad Request",
        message: "Missing fields.",
        truto_error_insight: {
          missing_required_query_parameters: { value: [`token=${TOKEN}`] },
          missing_required_body_fields: { value: [`Bearer ${TOKEN}`, encodeURIComponent(TOKEN)] },
        },
      },
    });
    assert.match(text, /TRUTO_VALIDATION|Missing fields/);
    assertClean(text, "the error of a 400 whose field lists echo it");
  });

  it("not through a long text body, wherever a cut would fall", async () => {
    for (const at of [195, 490, 995]) {
      const text = await refusedWith(`text${at}`, { status: 403, body: `${"x".repeat(at)}Bearer ${TOKEN} ${"y".repeat(3_000)}` });
      assertClean(text, `the error of a text body with the token at ${at}`);
    }
  });

  it("not percent-encoded in a vendor's message, nor in anything the host printed", async () => {
    const text = await refusedWith("encoded", {
      status: 422,
      body: {
        statusCode: 422,
        error: "Unprocessable",
        message: `GET ?token=${encodeURIComponent(TOKEN)} failed`,
        truto_is_remote_error: true,
      },
    });
    assertClean(text, "the error of a vendor message echoing the URL-encoded token");
    assertClean(provider.host.output(), "the host's output");
  });
});
