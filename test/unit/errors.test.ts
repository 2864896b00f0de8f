/**
 * TrutoError: stable codes, messages that name the request and say what to do, and no secrets.
 */
import { strict as assert } from "node:assert";
import { MAX_QUOTED_CHARS, TrutoError, TrutoErrorCodes, codeForStatus, isTrutoError, redact, registerSecret } from "../../src/truto/errors";
import { leaksPart } from "../support/truto-assertions";

const ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";
const TOKEN = "tr_live_4f9c2a7e1b";
// Made up, with the characters a URL encoder changes (+ / =), as real base64-ish tokens have.
const ODD_TOKEN = "tr+live/9Qx7=Zk2mW8vP";
// Registered like a client registers its token: every TrutoError then redacts it.
const REGISTERED = "tr_reg_5e7d1c9b3a2f4e6d8c0b";

describe("errors", () => {
  describe("codeForStatus", () => {
    const table: [number, boolean, boolean, string][] = [
      [401, false, false, "TRUTO_UNAUTHORIZED"],
      [401, true, false, "TRUTO_UNAUTHORIZED"],
      [403, false, false, "TRUTO_FORBIDDEN"],
      [405, false, false, "TRUTO_SANDBOX_ACCOUNT"],
      [405, true, false, "TRUTO_FORBIDDEN"],
      [404, false, false, "TRUTO_NOT_FOUND"],
      [404, true, true, "TRUTO_NOT_FOUND"],
      [409, false, false, "TRUTO_CONFLICT"],
      [429, false, false, "TRUTO_RATE_LIMITED"],
      [429, true, false, "TRUTO_RATE_LIMITED"],
      [500, false, false, "TRUTO_SERVER_ERROR"],
      [502, true, false, "TRUTO_SERVER_ERROR"],
      [503, false, false, "TRUTO_ACCOUNT_BLOCKED"],
      [503, true, false, "TRUTO_SERVER_ERROR"],
      [504, true, false, "TRUTO_SERVER_ERROR"],
      [400, false, false, "TRUTO_VALIDATION"],
      [400, true, false, "TRUTO_REMOTE_ERROR"],
      [400, true, true, "TRUTO_VALIDATION"],
      [422, false, false, "TRUTO_VALIDATION"],
      [422, true, false, "TRUTO_REMOTE_ERROR"],
      [422, false, true, "TRUTO_VALIDATION"],
    ];
    for (const [status, remote, missing, code] of table) {
      it(`maps ${status}${remote ? " from the vendor" : ""}${missing ? " with missing fields" : ""} to ${code}`, () => {
        assert.equal(codeForStatus(status, remote, missing), code);
      });
    }

    it("only produces codes from TrutoErrorCodes", () => {
      const codes = new Set<string>(Object.values(TrutoErrorCodes));
      for (let status = 400; status < 600; status++) {
        for (const remote of [true, false]) assert.ok(codes.has(codeForStatus(status, remote, false)), String(status));
      }
    });
  });

  describe("TrutoErrorCodes", () => {
    it("are unique strings prefixed TRUTO_", () => {
      const values = Object.values(TrutoErrorCodes);
      assert.equal(new Set(values).size, values.length);
      for (const v of values) assert.match(v, /^TRUTO_[A-Z_]+$/);
    });
  });

  describe("redact", () => {
    it("removes every occurrence of the token", () => {
      const out = redact(`token=${TOKEN}; again ${TOKEN}`, [TOKEN]);
      assert.ok(!out.includes(TOKEN));
      assert.equal(out, "token=[redacted]; again [redacted]");
    });

    it("removes Bearer values even when the token is not known", () => {
      const out = redact("Authorization: Bearer abc.DEF-123_x/y+z= and more", []);
      assert.equal(out, "Authorization: Bearer [redacted] and more");
    });

    it("removes several secrets and ignores missing ones", () => {
      const out = redact("a-secret-1 and b-secret-2", ["a-secret-1", undefined, "b-secret-2"]);
      assert.equal(out, "[redacted] and [redacted]");
    });

    it("leaves text without secrets alone", () => {
      assert.equal(redact("user U1 not found", [TOKEN]), "user U1 not found");
    });

    it("removes the token in URL-encoded form, with either case of hex and double-encoded", () => {
      const encoded = encodeURIComponent(ODD_TOKEN);
      assert.notEqual(encoded, ODD_TOKEN, "the test token must change when encoded");
      for (const echo of [encoded, encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()), encoded.replace(/%/g, "%25")]) {
        const out = redact(`GET /x?token=${echo}&y=1`, [ODD_TOKEN]);
        assert.ok(!leaksPart(out, ODD_TOKEN) && !out.includes(echo), out);
        assert.match(out, /token=\[redacted\]&y=1/);
      }
    });

    it("removes the token as form decoding echoes it, + turned into a space", () => {
      const out = redact(`you sent ${ODD_TOKEN.replace("+", " ")}.`, [ODD_TOKEN]);
      assert.equal(out, "you sent [redacted].");
    });

    it("removes the token in base64 form, as an echoed Basic header would carry it", () => {
      const basic = Buffer.from(`user:${REGISTERED}`).toString("base64");
      for (const echo of [
        `Authorization: Basic ${basic}`,
        `the header was ${basic}`,
        `base64url ${basic.replace(/\+/g, "-").replace(/\//g, "_")}`,
      ]) {
        const out = redact(echo, [REGISTERED]);
        assert.ok(!out.includes(basic.slice(8, 24)), out);
      }
    });

    it("keeps Truto's 401 text readable: the word after Bearer is not a credential", () => {
      const text = "Invalid bearer token. Use the token the sandbox printed at start-up. Send Authorization: Bearer <token>.";
      assert.equal(redact(text, []), text);
      assert.equal(redact("Bearer authentication failed", []), "Bearer authentication failed");
    });

    it("removes credential-looking values after Bearer even URL-encoded", () => {
      assert.equal(redact("Authorization%3A%20Bearer%20abcDEF123456ghiJKL", []), "Authorization%3A%20Bearer%20[redacted]");
    });
  });

  describe("TrutoError redacts and bounds whatever it quotes", () => {
    before(() => registerSecret(REGISTERED));

    it("redacts a registered token from the summary, Truto's message and the missing field names", () => {
      const e = new TrutoError(TrutoErrorCodes.validation, `rejected ${REGISTERED}.`, {
        trutoMessage: `bad ${encodeURIComponent(REGISTERED)}`,
        missingQueryParameters: [`roles ${REGISTERED}`],
        missingBodyFields: [REGISTERED],
      });
      assert.ok(!leaksPart(e.message, REGISTERED), e.message);
      assert.ok(!leaksPart(JSON.stringify([e.trutoMessage, e.missingQueryParameters, e.missingBodyFields]), REGISTERED));
      assert.match(e.message, /Missing query parameters: roles \[redacted\]\./);
    });

    it("quotes at most MAX_QUOTED_CHARS of Truto's message and says how much more there was", () => {
      const e = new TrutoError(TrutoErrorCodes.remote, "the vendor rejected the request.", { trutoMessage: "x".repeat(30_000) });
      assert.ok(e.message.length < MAX_QUOTED_CHARS + 1_000, `message of ${e.message.length} characters`);
      assert.match(e.message, new RegExp(`… \\(${30_000 - MAX_QUOTED_CHARS} more characters\\)`));
      assert.ok(e.trutoMessage!.length < MAX_QUOTED_CHARS + 50);
    });

    it("redacts before it cuts, so a token straddling the cut leaves no piece", () => {
      const text = `${"a".repeat(MAX_QUOTED_CHARS - 6)}${REGISTERED} and more`;
      const e = new TrutoError(TrutoErrorCodes.validation, "rejected.", { trutoMessage: text });
      assert.ok(!leaksPart(e.message, REGISTERED), e.message.slice(-80));
    });

    it("bounds the list of missing field names and each name", () => {
      const names = Array.from({ length: 500 }, (_, i) => `field_${i}_${"y".repeat(2_000)}`);
      const e = new TrutoError(TrutoErrorCodes.validation, "rejected.", { missingBodyFields: names });
      assert.ok(e.message.length < 10_000, `message of ${e.message.length} characters`);
      assert.match(e.message, /and \d+ more/);
    });

    it("bounds a huge summary but keeps the code first and the hint", () => {
      const e = new TrutoError(TrutoErrorCodes.unauthorized, "z".repeat(100_000), { status: 401 });
      assert.ok(e.message.length < 10_000, `message of ${e.message.length} characters`);
      assert.match(e.message, /^\[TRUTO_UNAUTHORIZED\]/);
      assert.match(e.message, /TRUTO_API_TOKEN/);
    });
  });

  describe("isTrutoError", () => {
    it("recognises a TrutoError and filters by code", () => {
      const e = new TrutoError(TrutoErrorCodes.notFound, "user not found.");
      assert.equal(isTrutoError(e), true);
      assert.equal(isTrutoError(e, TrutoErrorCodes.notFound), true);
      assert.equal(isTrutoError(e, TrutoErrorCodes.conflict), false);
    });

    it("goes by code, not instanceof, so errors from another copy of the package count", () => {
      const foreign = Object.assign(new Error("x"), { code: "TRUTO_RATE_LIMITED" });
      assert.equal(isTrutoError(foreign, TrutoErrorCodes.rateLimited), true);
      assert.equal(isTrutoError({ code: "TRUTO_NOT_FOUND" }), true);
    });

    it("rejects other errors and non-errors", () => {
      assert.equal(isTrutoError(Object.assign(new Error("x"), { code: "ECONNRESET" })), false);
      assert.equal(isTrutoError(new Error("TRUTO_NOT_FOUND")), false);
      for (const v of [null, undefined, "TRUTO_NOT_FOUND", 404, { code: 404 }]) assert.equal(isTrutoError(v), false, String(v));
    });
  });

  describe("TrutoError", () => {
    const error = new TrutoError(TrutoErrorCodes.validation, "the request was rejected.", {
      method: "POST",
      path: "/unified/user-directory/users/unassign-role",
      status: 400,
      integratedAccountId: ACCOUNT,
      trutoMessage: "Missing required parameters",
      missingQueryParameters: ["workspace_id", "roles"],
      missingBodyFields: ["id"],
    });

    it("names the method, path, account, status and Truto's message", () => {
      for (const part of ["POST", "/unified/user-directory/users/unassign-role", ACCOUNT, "400", "Missing required parameters"]) {
        assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
      }
    });

    it("includes the missing field names", () => {
      assert.match(error.message, /Missing query parameters: workspace_id, roles\./);
      assert.match(error.message, /Missing body fields: id\./);
    });

    it("keeps the details as fields callers can rely on", () => {
      assert.equal(error.code, "TRUTO_VALIDATION");
      assert.equal(error.name, "TrutoError");
      assert.equal(error.status, 400);
      assert.equal(error.method, "POST");
      assert.equal(error.integratedAccountId, ACCOUNT);
      assert.deepEqual(error.missingQueryParameters, ["workspace_id", "roles"]);
      assert.deepEqual(error.missingBodyFields, ["id"]);
      assert.equal(error.remote, false);
      assert.ok(error instanceof Error);
      // What another error quotes: the message without its code, so nothing parses the code out of text.
      assert.equal(`[${error.code}] ${error.detail}`, error.message);
      assert.doesNotMatch(error.detail, /^\[TRUTO_/);
    });

    it("keeps the cause", () => {
      const cause = new Error("socket hang up");
      assert.equal(new TrutoError(TrutoErrorCodes.network, "the connection failed.", { cause }).cause, cause);
    });

    it("does not repeat Truto's message when the summary already quotes it", () => {
      const e = new TrutoError(TrutoErrorCodes.notFound, "User not found.", { trutoMessage: "User not found" });
      assert.equal(e.message.split("User not found").length - 1, 1);
    });

    it("says when the vendor produced the error and how many attempts were made", () => {
      const e = new TrutoError(TrutoErrorCodes.server, "the vendor failed.", { status: 502, remote: true, attempts: 6 });
      assert.match(e.message, /vendor behind Truto/);
      assert.match(e.message, /after 6 attempts/);
    });

    it("tells people what to do for an unauthorized token", () => {
      const e = new TrutoError(TrutoErrorCodes.unauthorized, "the token was rejected.", { status: 401 });
      assert.match(e.message, /TRUTO_API_TOKEN/);
      assert.match(e.message, /truto:apiToken/);
    });

    it("reads as 'Truto: …' when no request is known", () => {
      assert.match(new TrutoError(TrutoErrorCodes.config, "no token.").message, /^\[TRUTO_CONFIG\] Truto: no token\./);
    });
  });
});
