export type {
  Backend,
  EmbeddingSpace,
  HistoryEntry,
  HistorySource,
  MemoryEvent,
  NamespaceKindCount,
  NearProbe,
  ResolvedFilter,
  ScoredMemory,
  SearchCandidate,
  Selection,
  SubscribeOptions,
  Subscription,
  WriteOperation,
} from "./backend.js";
export type {
  AppendMode,
  AppendResult,
  ConversationErasure,
  ConversationStore,
  IngestClaim,
  MessagePosition,
  MessageQuery,
  MessageRecord,
  NewMessage,
  StoredSummary,
  StoredWorkingMemory,
  ThreadCursor,
  ThreadRecord,
  WorkingMemoryKey,
  WorkingMemoryWrite,
} from "./conversation-store.js";
export { assertSameSpace } from "./embedding-space.js";
export {
  isClusterClient,
  keyRoutedClient,
  keySlot,
  type RedisClusterLike,
} from "./redis/cluster-client.js";
export { type MigrationReport, migrateStore } from "./redis/migrate-store.js";
export {
  type RedisBackend,
  type RedisBackendOptions,
  type RedisCapabilities,
  redisBackend,
} from "./redis/redis-backend.js";
export type { RedisClientLike } from "./redis/redis-client.js";
export { DEFAULT_SQLITE_PATH, type SqliteBackendOptions, sqliteBackend } from "./sqlite/index.js";
