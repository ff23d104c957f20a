export type { CompactMemory } from "./compact-memory.js";
export { createManageMemoryTool, type ManageMemoryResult } from "./create-manage-memory-tool.js";
export { createMemoryTools } from "./create-memory-tools.js";
export { createSearchMemoryTool } from "./create-search-memory-tool.js";
export type { MemoryAction, MemoryToolsOptions } from "./options.js";
