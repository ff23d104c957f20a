export {
  type MemoryMiddleware,
  memoryMiddleware,
  PROVIDER_KEY,
  type RecallMetadata,
} from "./memory-middleware.js";
export type {
  MemoryMiddlewareOptions,
  MiddlewareErrorInfo,
  MiddlewarePhase,
  RequestMemoryOptions,
} from "./options.js";
export { type Placement, renderMemoryBlock } from "./prompt.js";
export type { PromptMessage } from "./spec.js";
