import { Agent, request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

// Issue 14, item 2: a 413 promised keep-alive, then the server dropped the socket ~500 ms later
// and the client's next request on it failed ("other side closed").

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4096 });
  key = await server.key(["limits"], ["read", "write"]);
});
afterAll(() => server.close());

/** Sends raw HTTP on one socket; resolves with what came back once the server closed it. */
function rawExchange(port: number, text: string): Promise<{ reply: string; closedBy: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks).toString("latin1"), closedBy: "client" });
    }, 5000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      clearTimeout(timer);
      socket.end();
      resolve({ reply: Buffer.concat(chunks).toString("latin1"), closedBy: "server" });
    });
    socket.write(text);
  });
}

function post(agent: Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${server.url}/v1/memories`,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("bodies over the limit", () => {
  it("answer 413 with Connection: close, and the server closes the socket at once", async () => {
    const body = JSON.stringify({ content: "x".repeat(8000) });
    const { port } = new URL(server.url);
    const { reply, closedBy } = await rawExchange(
      Number(port),
      [
        "POST /v1/memories HTTP/1.1",
        "Host: 127.0.0.1",
        `Authorization: Bearer ${key}`,
        "Content-Type: application/json",
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n"),
    );
    expect(reply.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(reply.toLowerCase()).toContain("connection: close");
    expect(reply.toLowerCase()).not.toContain("keep-alive");
    expect(reply).toContain("PAYLOAD_TOO_LARGE");
    expect(closedBy).toBe("server");
  });

  it("a keep-alive client's next request after a 413 succeeds", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        expect(await post(agent, JSON.stringify({ content: "y".repeat(8000) }))).toBe(413);
        // The limit is what was configured: a body under 4 KiB goes through.
        expect(await post(agent, JSON.stringify({ content: `small ${round}` }))).toBe(201);
      }
    } finally {
      agent.destroy();
    }
  });

  it("a chunked body over the limit is refused the same way", async () => {
    const { port } = new URL(server.url);
    const chunk = "z".repeat(6000);
    const { reply, closedBy } = await rawExchange(
      Number(port),
      [
        "POST /v1/memories HTTP/1.1",
        "Host: 127.0.0.1",
        `Authorization: Bearer ${key}`,
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        "",
        `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      ].join("\r\n"),
    );
    expect(reply.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(reply.toLowerCase()).toContain("connection: close");
    expect(closedBy).toBe("server");
  });
});
