export type {
  Backend,
  EmbeddingSpace,
  ResolvedFilter,
  ScoredMemory,
  Selection,
  WriteOperation,
} from "./backend.js";
export { assertSameSpace } from "./embedding-space.js";
export { DEFAULT_SQLITE_PATH, type SqliteBackendOptions, sqliteBackend } from "./sqlite/index.js";
