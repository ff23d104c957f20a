export * from "./backends/index.js";
export * from "./conversation/index.js";
export * from "./embedders/index.js";
export * from "./errors/index.js";
export * from "./memory/index.js";
export * from "./namespace/index.js";
export * from "./record/index.js";
export { keywordTerms } from "./retrieval/tokenize.js";
export * from "./telemetry/index.js";
