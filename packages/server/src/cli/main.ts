#!/usr/bin/env node
import { Command } from "commander";
import { registerEraseCommand } from "./commands/erase.js";
import { registerExportCommand } from "./commands/export.js";
import { registerImportCommand } from "./commands/import.js";
import { registerKeysCommand } from "./commands/keys.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatsCommand } from "./commands/stats.js";

const program = new Command()
  .name("engram")
  .description("Persistent memory for AI agents: REST and MCP server, keys, export and stats")
  .version("0.0.0");

registerServeCommand(program);
registerMcpCommand(program);
registerKeysCommand(program);
registerExportCommand(program);
registerImportCommand(program);
registerStatsCommand(program);
registerEraseCommand(program);

await program.parseAsync();
