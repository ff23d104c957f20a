export * from "./chat-history/index.js";
export * from "./messages/index.js";
export * from "./middleware/index.js";
export * from "./retriever/index.js";
export * from "./tools/index.js";
