export {
  defaultResourceNamespace,
  type ResourceNamespace,
  resourceSegment,
} from "./resource-namespace.js";
export { EngramStore, type EngramStoreOptions } from "./storage/engram-store.js";
export { EngramMemoryStorage, type EngramMemoryStorageOptions } from "./storage/memory-storage.js";
export {
  type EngramQueryVectorParams,
  EngramVector,
  type EngramVectorOptions,
} from "./vector/engram-vector.js";
export { toMetadataCondition } from "./vector/translate-filter.js";
