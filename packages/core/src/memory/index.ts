export type {
  ConditionValue,
  FieldOperators,
  MetadataCondition,
} from "../retrieval/metadata-condition.js";
export { DEFAULT_RANKING, type RankingOptions } from "../retrieval/ranking.js";
export type { AttachedStore, ErasureReport } from "./attached-store.js";
export type { ConsolidateOptions, Consolidation, Summarize } from "./consolidate.js";
export type { MemoryLimits, TtlByKind } from "./context.js";
export {
  type ContextBlock,
  type ContextOptions,
  estimateTokens,
  renderContext,
  type TokenCounter,
} from "./context-block.js";
export type { NamespaceCount } from "./count-namespaces.js";
export { createMemory, type Memory, type MemoryOptions } from "./create-memory.js";
export { type DedupOptions, type DuplicatePolicy, mergeDuplicate } from "./deduplicate.js";
export { CONTEXT_FENCE_TAG, fenceContext } from "./fence-context.js";
export type { MemoryAddress } from "./get.js";
export type { NamespacesOptions } from "./namespaces.js";
export type { PruneOptions, PruneReport } from "./prune.js";
export type { RestoreItem, RestoreResult } from "./restore.js";
export { type RetentionOptions, retentionScore } from "./retention.js";
export type {
  ForgetFilter,
  Instant,
  ListOptions,
  MemoryFilter,
  MemoryPage,
  MemoryPatch,
  RecalledMemory,
  RecallMode,
  RecallOptions,
  RememberInput,
  RememberResult,
  ScoreExplanation,
} from "./types.js";
export type { MemoryVector } from "./vectors.js";
