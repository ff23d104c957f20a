import type { Namespace } from "../namespace/namespace.js";

/**
 * Something an adapter keeps under Engram namespaces outside the memory store itself: a
 * LangGraph checkpointer's threads, a chat history, a framework's own tables. Attaching it to a
 * memory makes `forgetNamespace` erase it together with the memories.
 */
export interface AttachedStore {
  /** Names the store in erase reports, e.g. `"langgraph-checkpoints"`. */
  readonly name: string;
  /** Erases everything kept under `prefix` or beneath it; returns how many items went. */
  forgetNamespace(prefix: Namespace): Promise<number>;
}

/**
 * What `forgetNamespace` erased: memories; threads, their messages and working-memory
 * documents (summaries and ingest state go with their threads); and items of each attached
 * store by name.
 */
export interface ErasureReport {
  memories: number;
  threads: number;
  messages: number;
  workingMemories: number;
  attached: Record<string, number>;
}
