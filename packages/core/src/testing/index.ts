export { describeMemoryContract } from "./contract/describe-memory-contract.js";
export type { ContractStore, ContractTarget } from "./contract/harness.js";
export { freePort } from "./free-port.js";
export {
  createTestEmbedder,
  type TestEmbedder,
  type TestEmbedderOptions,
} from "./test-embedder.js";
