export { type ForgetToolInput, type ForgetToolOutput, forgetInput } from "./forget-tool.js";
export { type ListToolInput, type ListToolOutput, listInput } from "./list-tool.js";
export {
  type MemoryTools,
  type MemoryToolsOptions,
  memoryTools,
  memoryToolsContext,
} from "./memory-tools.js";
export { namespaceBeneath } from "./namespace-beneath.js";
export { type RecallToolInput, type RecallToolOutput, recallInput } from "./recall-tool.js";
export { type RememberToolInput, type RememberToolOutput, rememberInput } from "./remember-tool.js";
export type { NamespaceSource, ToolCallOptions, ToolMemory } from "./tool-binding.js";
export { type UpdateToolInput, type UpdateToolOutput, updateInput } from "./update-tool.js";
