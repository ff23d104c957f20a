export { type MemoryMiddleware, memoryMiddleware } from "./memory-middleware.js";
export type { MemoryMiddlewareOptions, RecallSettings } from "./options.js";
export { RECALL_MESSAGE_ID } from "./recall-message.js";
