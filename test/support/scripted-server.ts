/**
 * A scripted HTTP server on loopback for client tests that need answers the sandbox does not give: each
 * test sets `answer`, and every request is recorded in `seen`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the scripted server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Answer = (req: Seen, res: ServerResponse) => void;

/** Mocha helper: a server on 127.0.0.1 port 0 that answers with `answer` (set per test) and records requests. */
export function useScriptedServer() {
  const state = { url: "", seen: [] as Seen[], answer: ((_req, res) => res.end("{}")) as Answer, server: undefined as Server | undefined };
  before(async () => {
    state.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        state.seen.push(seen);
        state.answer(seen, res);
      });
    });
    await new Promise<void>((resolve) => state.server!.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(state.server!.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    state.seen = [];
  });
  after(async () => {
    state.server?.closeAllConnections();
    await new Promise((resolve) => state.server?.close(resolve));
  });
  return state;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
