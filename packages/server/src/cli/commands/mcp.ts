import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Command } from "commander";
import { createMcpServer } from "../../mcp/create-mcp-server.js";
import { confineMemory } from "../../tenancy/confine-memory.js";
import { localPrincipal } from "../../tenancy/principal.js";
import { namespaceOption } from "../namespace-option.js";
import { openMemory, storageOptions } from "../open-memory.js";
import { runAction } from "../run-action.js";

/** `engram mcp`: an MCP server on stdio for desktop clients. */
export function registerMcpCommand(program: Command): void {
  storageOptions(
    program
      .command("mcp")
      .description("Run an MCP server on stdio (for Claude Code, Cursor and other desktop clients)")
      .option(
        "--namespace <a/b>",
        "confine every tool to this namespace (and use it as the default)",
      )
      .option(
        "--allow-erase",
        "also offer the `erase` tool (permanently erases a namespace subtree); off by default",
      ),
  ).action(
    runAction(
      async (options: {
        namespace?: string;
        allowErase?: boolean;
        data?: string;
        redis?: string;
        prefix?: string;
      }) => {
        const root = options.namespace === undefined ? [] : namespaceOption(options.namespace);
        const memory = await openMemory(options);
        // Stdio is a local admin, yet what a model may do should not include wiping the store
        // by one tool call: erase is opt-in here (`engram erase` remains for people).
        const server = createMcpServer(confineMemory(memory, localPrincipal(root)), {
          erase: options.allowErase === true,
        });
        const transport = new StdioServerTransport();
        transport.onclose = () => void memory.close();
        await server.connect(transport);
      },
    ),
  );
}
