import { manageMemoryTool } from "./create-manage-memory-tool.js";
import { searchMemoryTool } from "./create-search-memory-tool.js";
import { type MemoryToolsOptions, resolveToolsOptions } from "./options.js";

/**
 * The memory tools for an agent: `manage_memory` (create, update, delete) and `search_memory`,
 * both writing to and reading from the namespace the template names for each run.
 */
export function createMemoryTools(input: MemoryToolsOptions) {
  const options = resolveToolsOptions(input);
  return [manageMemoryTool(options), searchMemoryTool(options)] as const;
}
