import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool } from "../testing/mcp-client.js";
import { assertBuilt } from "../testing/run-cli.js";

const clone = join(import.meta.dirname, "../../../..");
const readme = readFileSync(join(clone, "README.md"), "utf8");
const mcpSection = readme.slice(readme.indexOf("### MCP (Claude Code, Cursor)"));

/** The Cursor config the root README gives, with its placeholder path set to this clone. */
function cursorConfig(): { command: string; args: string[] } {
  const block = /```json\n([\s\S]*?)```/.exec(mcpSection)?.[1];
  if (!block) throw new Error("The root README has no JSON MCP config under its MCP section.");
  const config = JSON.parse(block.replaceAll("/path/to/engram", clone));
  return config.mcpServers.engram;
}

/** The command the README's `claude mcp add engram -- ...` line registers, `$PWD` the clone. */
function claudeCommand(): { command: string; args: string[] } {
  const line = /^claude mcp add engram -- (.+)$/m.exec(mcpSection)?.[1];
  if (!line) throw new Error("The root README has no `claude mcp add engram -- ...` line.");
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) =>
    (match[1] ?? match[2]!).replaceAll("$PWD", clone),
  );
  return { command: words[0]!, args: words.slice(1) };
}

// The documented configs use the embedded store: once is enough, in the sqlite project.
const once = process.env.ENGRAM_TEST_BACKEND === "redis";
if (once) console.log("documented-config: skipped in the redis project; it runs in the sqlite one");

describe.skipIf(once)("the MCP configs the root README documents", () => {
  let home: string;
  beforeAll(async () => {
    assertBuilt();
    home = await mkdtemp(join(tmpdir(), "engram-mcp-config-"));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  for (const [name, config] of [
    ["Cursor's mcp.json", cursorConfig],
    ["claude mcp add", claudeCommand],
  ] as const) {
    it(`${name}: starts through the SDK's stdio client and remembers`, async () => {
      const { command, args } = config();
      const transport = new StdioClientTransport({
        command,
        args,
        env: { PATH: process.env.PATH ?? "", ENGRAM_HOME: home, ENGRAM_EMBEDDER: "test" },
        stderr: "pipe",
      });
      const client = new Client({ name: "readme-config", version: "0.0.0" });
      await client.connect(transport);
      try {
        const tools = (await client.listTools()).tools.map((tool) => tool.name);
        expect(tools).toContain("remember");
        // Erasing is opt-in on stdio (`--allow-erase`), which the documented configs leave out.
        expect(tools).not.toContain("erase");
        const stored = await callTool(client, "remember", { content: `Configured by ${name}` });
        expect(stored.value).toMatchObject({ status: "created", namespace: [] });
        const found = await callTool(client, "recall", { query: `configured ${name}` });
        expect(found.value.memories[0].content).toBe(`Configured by ${name}`);
      } finally {
        await client.close();
      }
    });
  }
});
