export { contentHash } from "./content-hash.js";
export { createId, isId } from "./ids.js";
export type {
  BuiltInKind,
  JsonObject,
  JsonValue,
  MemoryKind,
  MemoryRecord,
  StoredMemory,
} from "./memory-record.js";
export { MAX_INSTANT_MS } from "./schemas.js";
export { deserializeRecord, serializeRecord } from "./serialize.js";
