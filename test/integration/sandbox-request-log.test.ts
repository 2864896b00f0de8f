import { strict as assert } from "node:assert";
import * as net from "node:net";
import { SEED_IDS } from "../../src/sandbox";
import { useSandbox } from "../support/sandbox-fixture";

const { accounts, jumpcloud } = SEED_IDS;
const ASSIGN_PATH = "/unified/user-directory/users/assign-role";
const ASSIGN = `${ASSIGN_PATH}?integrated_account_id=${accounts.jumpcloud}`;
const USER = `/unified/user-directory/users/${jumpcloud.users.alice}?integrated_account_id=${accounts.jumpcloud}`;

/** A JSON body of about `bytes` bytes that the assign route would accept. */
function grantOfSize(bytes: number): { id: string; roles: { id: string }[]; padding: string } {
  return { id: jumpcloud.users.alice, roles: [{ id: "manager" }], padding: "x".repeat(bytes) };
}

/**
 * Writes `head` (request line and headers) and then `chunks` to a raw socket, and resolves with the
 * status line of the first answer, or "no answer" after `waitMs`: it never finishes the body on purpose.
 */
function rawRequest(url: string, head: string, chunks: string[], waitMs = 3000): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let answer = "";
    const socket = net.connect(Number(port), "127.0.0.1", () => {
      socket.write(head);
      for (const chunk of chunks) socket.write(chunk);
    });
    const done = (result: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done("no answer"), waitMs);
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n")) done(answer.slice(0, answer.indexOf("\r\n")));
    });
    socket.on("error", () => done(answer === "" ? "connection error" : answer));
  });
}

describe("sandbox request log bounds", () => {
  describe("unauthenticated requests", () => {
    const sb = useSandbox({ rateLimit: false });

    it("are logged as method, path and status only: their body and query are never kept", async () => {
      for (let i = 0; i < 3; i += 1) {
        const denied = await sb.call("POST", `${ASSIGN}&probe=${i}`, { token: null, body: grantOfSize(4000) });
        assert.equal(denied.status, 401);
      }
      const wrong = await sb.call("POST", ASSIGN, { token: "sbx_wrong", body: grantOfSize(4000) });
      assert.equal(wrong.status, 401);
      const granted = await sb.call("POST", ASSIGN, { body: grantOfSize(10) });
      assert.equal(granted.status, 200, granted.text);

      const log = await sb.admin.requests();
      assert.deepEqual(
        log.map((e) => [e.status, e.body === null, Object.keys(e.query).length]),
        [
          [401, true, 0],
          [401, true, 0],
          [401, true, 0],
          [401, true, 0],
          [200, false, 1],
        ],
      );
      assert.equal(log[0].path, ASSIGN_PATH);
      assert.deepEqual(log[4].body, grantOfSize(10), "an authenticated body is kept as sent");
    });
  });

  describe("the log's own bounds", () => {
    const sb = useSandbox({ rateLimit: false, requestLogLimit: 5, requestLogMaxBytes: 64 * 1024 });

    it("keeps the newest requestLogLimit entries and says how many it dropped", async () => {
      for (let i = 0; i < 8; i += 1) await sb.call("GET", USER);
      const page = (await sb.call("GET", "/_sandbox/requests")).body;
      assert.equal(page.requests.length, 5);
      assert.equal(page.dropped, 3);
      const seqs = page.requests.map((e: { seq: number }) => e.seq);
      assert.deepEqual(
        seqs,
        [4, 5, 6, 7, 8].map((n) => seqs[0] + n - 4),
        "the oldest went first, in order",
      );
      assert.equal(page.next, null);
    });

    it("keeps its bodies under requestLogMaxBytes, dropping the oldest entries", async () => {
      for (let i = 0; i < 5; i += 1) await sb.call("POST", ASSIGN, { body: grantOfSize(20_000) });
      const page = (await sb.call("GET", "/_sandbox/requests")).body;
      assert.equal(page.requests.length, 3, "three 20 KB bodies fit in 64 KiB, four do not");
      assert.equal(page.dropped, 2);
      const cleared = (await sb.call("DELETE", "/_sandbox/requests")).body;
      assert.deepEqual(cleared, { cleared: 3 });
      const empty = (await sb.call("GET", "/_sandbox/requests")).body;
      assert.deepEqual(empty, { requests: [], dropped: 0, next: null }, "clearing starts the drop count again");
    });
  });

  describe("the request body limit", () => {
    const sb = useSandbox({ rateLimit: false, maxBodyBytes: 2048 });

    it("answers Truto's 413 past maxBodyBytes and logs the request without its body", async () => {
      const big = await sb.call("POST", ASSIGN, { body: grantOfSize(4096) });
      assert.equal(big.status, 413);
      assert.equal(big.body.statusCode, 413);
      assert.match(big.body.message, /2048 bytes/);
      const fits = await sb.call("POST", ASSIGN, { body: grantOfSize(100) });
      assert.equal(fits.status, 200, fits.text);
      const log = await sb.admin.requests();
      assert.deepEqual(
        log.map((e) => [e.status, e.body === null]),
        [
          [413, true],
          [200, false],
        ],
      );
    });

    it("answers 413 from Content-Length alone, without waiting for the body", async () => {
      const head = [
        `POST ${ASSIGN} HTTP/1.1`,
        "Host: 127.0.0.1",
        `Authorization: Bearer ${sb.token}`,
        "Content-Type: application/json",
        "Content-Length: 15000000",
        "",
        "",
      ].join("\r\n");
      assert.equal(await rawRequest(sb.url, head, ['{"id":']), "HTTP/1.1 413 Payload Too Large");
    });

    it("stops reading a chunked body at the limit and answers 413", async () => {
      const head = [
        `POST ${ASSIGN} HTTP/1.1`,
        "Host: 127.0.0.1",
        `Authorization: Bearer ${sb.token}`,
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        "",
        "",
      ].join("\r\n");
      const chunk = `400\r\n${"x".repeat(0x400)}\r\n`;
      assert.equal(await rawRequest(sb.url, head, [chunk, chunk, chunk]), "HTTP/1.1 413 Payload Too Large");
    });

    it("answers 401 to an unauthenticated request without reading its body", async () => {
      const head = [`POST ${ASSIGN} HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", "Content-Length: 1000", "", ""].join(
        "\r\n",
      );
      assert.equal(await rawRequest(sb.url, head, ['{"id":']), "HTTP/1.1 401 Unauthorized");
    });
  });

  describe("GET /_sandbox/requests pages", () => {
    const sb = useSandbox({ rateLimit: false, requestLogPageBytes: 8 * 1024 });

    it("pages with ?since and ?limit, giving the cursor of the next page", async () => {
      for (let i = 0; i < 25; i += 1) await sb.call("GET", USER);
      const first = (await sb.call("GET", "/_sandbox/requests?limit=10")).body;
      assert.equal(first.requests.length, 10);
      assert.equal(first.next, first.requests[9].seq);
      const second = (await sb.call("GET", `/_sandbox/requests?since=${first.next}&limit=10`)).body;
      assert.deepEqual(
        second.requests.map((e: { seq: number }) => e.seq),
        Array.from({ length: 10 }, (_, i) => first.next + 1 + i),
      );
      const third = (await sb.call("GET", `/_sandbox/requests?since=${second.next}&limit=10`)).body;
      assert.equal(third.requests.length, 5);
      assert.equal(third.next, null, "no more entries after the last page");
      assert.equal((await sb.admin.requests()).length, 25, "the fixture follows the cursor to the end");
    });

    it("cuts a page at requestLogPageBytes, keeping at least one entry", async () => {
      for (let i = 0; i < 4; i += 1) await sb.call("POST", ASSIGN, { body: grantOfSize(3000) });
      const first = (await sb.call("GET", "/_sandbox/requests")).body;
      assert.equal(first.requests.length, 2, "two 3 KB bodies fit in 8 KiB, three do not");
      assert.notEqual(first.next, null);
      await sb.call("POST", ASSIGN, { body: grantOfSize(12_000) });
      const rest = await sb.admin.requests();
      assert.equal(rest.length, 5, "an entry larger than a page still comes back, alone");
    });

    it("answers 400 to a since or limit that is not a whole number in range", async () => {
      for (const query of ["since=-1", "since=abc", "limit=0", "limit=10001", "limit=1.5"]) {
        const response = await sb.call("GET", `/_sandbox/requests?${query}`);
        assert.equal(response.status, 400, query);
        assert.match(response.body.message, /since|limit/, query);
      }
    });
  });
});
