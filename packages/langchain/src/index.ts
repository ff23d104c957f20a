export * from "./middleware/index.js";
export * from "./retriever/index.js";
export * from "./tools/index.js";
