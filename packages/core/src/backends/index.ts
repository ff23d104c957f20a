export type {
  Backend,
  EmbeddingSpace,
  HistoryEntry,
  MemoryEvent,
  ResolvedFilter,
  ScoredMemory,
  Selection,
  SubscribeOptions,
  Subscription,
  WriteOperation,
} from "./backend.js";
export { assertSameSpace } from "./embedding-space.js";
export { DEFAULT_SQLITE_PATH, type SqliteBackendOptions, sqliteBackend } from "./sqlite/index.js";
