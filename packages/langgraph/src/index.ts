export * from "./redis-saver/index.js";
