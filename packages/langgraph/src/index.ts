export * from "./engram-store/index.js";
export * from "./redis-saver/index.js";
