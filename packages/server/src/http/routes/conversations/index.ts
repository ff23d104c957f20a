export { registerIngestRoute } from "./ingest.js";
export { registerMessageRoutes } from "./messages.js";
export { registerThreadRoutes } from "./threads.js";
export { registerWorkingMemoryRoutes } from "./working-memory.js";
