import { sqliteBackend } from "@engram/core";
import type { BaseStore } from "@langchain/langgraph-checkpoint";
import { describeStoreBehaviour } from "../../test/store-behaviour.js";
import type { EngramStore } from "./engram-store.js";

// Fails `pnpm typecheck` if EngramStore ever stops being assignable to LangGraph's BaseStore.
export const asBaseStore = (store: EngramStore): BaseStore => store;

describeStoreBehaviour("the embedded SQLite backend", () => ({
  backend: sqliteBackend({ path: ":memory:" }),
  cleanup: async () => {},
}));
