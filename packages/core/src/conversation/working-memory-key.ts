import type { WorkingMemoryKey } from "../backends/conversation-store.js";
import { EngramError } from "../errors/engram-error.js";
import { encodeNamespace, type Namespace } from "../namespace/namespace.js";

/** The backend's key of a working-memory address. */
export function toWorkingMemoryKey(input: {
  namespace: Namespace;
  threadId?: string | undefined;
}): WorkingMemoryKey {
  return { namespace: encodeNamespace(input.namespace), threadId: input.threadId };
}

export function missingThread(threadId: string | undefined): EngramError {
  return new EngramError(
    "NOT_FOUND",
    `No thread ${threadId} in this namespace: a thread's working memory needs its thread.`,
    { details: { threadId } },
  );
}

export function staleVersion(expected: number, actual: number): EngramError {
  return new EngramError(
    "CONFLICT",
    `The working memory is at version ${actual}, not ${expected}: another writer changed it.`,
    { details: { expected, actual } },
  );
}
