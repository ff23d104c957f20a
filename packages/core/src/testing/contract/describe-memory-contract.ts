import { describe } from "vitest";
import { callerVectorCases } from "./caller-vectors.js";
import { contextCases } from "./context.js";
import { conversationContextCases } from "./conversation-context.js";
import { conversationErasureCases } from "./conversation-erasure.js";
import { crudCases } from "./crud.js";
import { dedupCases } from "./dedup.js";
import { embeddingCases } from "./embeddings.js";
import { eventCases } from "./events.js";
import { filterCases } from "./filters.js";
import type { ContractTarget } from "./harness.js";
import { historyCases } from "./history.js";
import { ingestCases } from "./ingest.js";
import { lifecycleCases } from "./lifecycle.js";
import { messageCases } from "./messages.js";
import { namespaceCases } from "./namespaces.js";
import { orderingCases } from "./ordering.js";
import { recallCases } from "./recall.js";
import { restoreCases } from "./restore.js";
import { retentionCases } from "./retention.js";
import { threadCases } from "./threads.js";
import { validationCases } from "./validation.js";
import { workingMemoryCases } from "./working-memory.js";

/**
 * Registers the behavioural suite every backend must pass. Call it from a test file with a
 * target that makes an empty store per test.
 */
export function describeMemoryContract(target: ContractTarget): void {
  describe(`memory contract: ${target.name}`, () => {
    namespaceCases(target);
    crudCases(target);
    orderingCases(target);
    recallCases(target);
    filterCases(target);
    callerVectorCases(target);
    lifecycleCases(target);
    validationCases(target);
    embeddingCases(target);
    eventCases(target);
    contextCases(target);
    dedupCases(target);
    historyCases(target);
    restoreCases(target);
    retentionCases(target);
    threadCases(target);
    messageCases(target);
    workingMemoryCases(target);
    ingestCases(target);
    conversationContextCases(target);
    conversationErasureCases(target);
  });
}
