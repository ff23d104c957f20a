import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { ApiApp } from "../http/api-env.js";
import { createMcpServer } from "./create-mcp-server.js";

/**
 * MCP over Streamable HTTP at /mcp, stateless: each request gets a server bound to the caller's
 * confined memory, so a session can never outlive or borrow another key's identity.
 */
export function registerMcpRoute(app: ApiApp): void {
  app.all("/mcp", async (c) => {
    const server = createMcpServer(c.var.memory);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      void server.close();
    }
  });
}
