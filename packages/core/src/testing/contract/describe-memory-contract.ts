import { describe } from "vitest";
import { contextCases } from "./context.js";
import { crudCases } from "./crud.js";
import { dedupCases } from "./dedup.js";
import { embeddingCases } from "./embeddings.js";
import { eventCases } from "./events.js";
import { filterCases } from "./filters.js";
import type { ContractTarget } from "./harness.js";
import { historyCases } from "./history.js";
import { lifecycleCases } from "./lifecycle.js";
import { namespaceCases } from "./namespaces.js";
import { orderingCases } from "./ordering.js";
import { recallCases } from "./recall.js";
import { restoreCases } from "./restore.js";
import { retentionCases } from "./retention.js";
import { validationCases } from "./validation.js";

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
    lifecycleCases(target);
    validationCases(target);
    embeddingCases(target);
    eventCases(target);
    contextCases(target);
    dedupCases(target);
    historyCases(target);
    restoreCases(target);
    retentionCases(target);
  });
}
