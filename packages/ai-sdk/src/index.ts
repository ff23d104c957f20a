export * from "./middleware/index.js";
export * from "./tools/index.js";
