export { EngramStore } from "./engram-store.js";
export type { EngramStoreIndex, EngramStoreOptions } from "./options.js";
