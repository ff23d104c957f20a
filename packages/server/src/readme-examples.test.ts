import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing/test-server.js";

// Every curl example in the README, replayed in order against a real server, must succeed.
const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

interface CurlCall {
  line: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Splits a shell line into words, honouring single and double quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) out.push(match[1] ?? match[2] ?? match[3]!);
  return out;
}

function parseCurl(line: string, key: string): CurlCall {
  const args = words(line.replaceAll("$KEY", key));
  const call: CurlCall = { line, method: "GET", url: "", headers: {}, body: undefined };
  for (let index = 1; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "-X") call.method = args[++index]!;
    else if (arg === "-H") {
      const [name, ...value] = args[++index]!.split(":");
      call.headers[name!.trim()] = value.join(":").trim();
    } else if (arg === "-d") {
      call.body = args[++index];
      if (call.method === "GET") call.method = "POST";
    } else if (!arg.startsWith("-")) call.url = arg;
  }
  return call;
}

function curlLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks
    .flatMap((block) => block.replaceAll("\\\n", " ").split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.startsWith("curl ") && !/\s-\w*N/.test(line));
}

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  key = await server.key(["acme"], ["read", "write"]);
});
afterAll(() => server.close());

describe("README", () => {
  it("has curl examples for memories and conversations", () => {
    const paths = curlLines(README).map((line) => parseCurl(line, "k").url);
    expect(paths.some((url) => url.includes("/v1/threads/"))).toBe(true);
    expect(paths.some((url) => url.includes("/v1/working-memory"))).toBe(true);
  });

  it("runs every curl example against a server", async () => {
    for (const line of curlLines(README)) {
      const call = parseCurl(line, key);
      const url = call.url.replace(/^(http:\/\/)?localhost:8787/, server.url);
      const response = await fetch(url, {
        method: call.method,
        headers: call.headers,
        body: call.body,
      });
      const text = await response.text();
      expect(response.status, `${line}\n${text}`).toBeLessThan(300);
    }
    const context = await server.memory.context({
      namespace: ["acme", "users", "alice"],
      query: "Lyon",
      maxTokens: 500,
    });
    expect(context.text).toContain("Lyon");
  });
});
