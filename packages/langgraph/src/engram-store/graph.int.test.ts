import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import {
  Annotation,
  Command,
  END,
  getStore,
  interrupt,
  type LangGraphRunnableConfig,
  START,
  StateGraph,
} from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { keysContaining, type TestClient, testClient, uniquePrefix } from "../../test/redis.js";
import { RedisSaver } from "../redis-saver/redis-saver.js";
import { EngramStore } from "./engram-store.js";

const State = Annotation.Root({
  user: Annotation<string>(),
  question: Annotation<string>(),
  context: Annotation<string[]>(),
  answer: Annotation<string>(),
});

function buildGraph() {
  return new StateGraph(State)
    .addNode("recall", async (state, config: LangGraphRunnableConfig) => {
      const found = await config.store!.search(["users", state.user], {
        query: state.question,
        limit: 3,
      });
      return { context: found.map((item) => String(item.value.text)) };
    })
    .addNode("respond", (state) => ({ answer: `Based on: ${state.context.join("; ")}` }))
    .addNode("confirm", async (state) => {
      const approved = interrupt<string, boolean>(`Send "${state.answer}"?`);
      // getStore() reaches the same store from anywhere inside a node.
      if (approved)
        await getStore()!.put(["users", state.user], "last-question", { text: state.question });
      return {};
    })
    .addEdge(START, "recall")
    .addEdge("recall", "respond")
    .addEdge("respond", "confirm")
    .addEdge("confirm", END);
}

describe("a compiled graph on RedisSaver and EngramStore", () => {
  let client: TestClient;
  let prefix: string;
  let directory: string;

  beforeEach(async () => {
    client = await testClient();
    prefix = uniquePrefix("store-graph");
    directory = mkdtempSync(join(tmpdir(), "engram-store-graph-"));
  });

  afterEach(async () => {
    const keys = await keysContaining(client, prefix);
    if (keys.length > 0) await client.del(keys);
    await client.close();
    rmSync(directory, { recursive: true, force: true });
  });

  // A fresh saver and store on the same Redis and the same file, as after a process restart.
  function start() {
    const memory = createMemory({
      backend: sqliteBackend({ path: join(directory, "memory.db") }),
      embedder: createTestEmbedder(),
    });
    const store = new EngramStore({ memory });
    const checkpointer = new RedisSaver({ url: inject("redisUrl"), prefix });
    const graph = buildGraph().compile({ checkpointer, store });
    const stop = async () => {
      await checkpointer.close();
      await store.stop();
      await memory.close();
    };
    return { memory, store, graph, stop };
  }

  it("reads and writes the store from nodes and resumes after an interrupt in a new process", async () => {
    const config = { configurable: { thread_id: "chat-1" } };
    const first = start();
    await first.store.put(["users", "alice"], "db", { text: "The team database is PostgreSQL" });
    await first.store.put(["users", "alice"], "pet", { text: "Alice has a cat" });
    const paused = await first.graph.invoke(
      { user: "alice", question: "Which database does the team use?" },
      config,
    );
    expect(paused.context[0]).toBe("The team database is PostgreSQL");
    expect(
      (paused as { __interrupt__?: { value: unknown }[] }).__interrupt__?.[0]?.value,
    ).toContain("PostgreSQL");
    await first.stop();

    const second = start();
    expect((await second.graph.getState(config)).next).toEqual(["confirm"]);
    const done = await second.graph.invoke(new Command({ resume: true }), config);
    expect(done.answer).toContain("PostgreSQL");
    expect((await second.store.get(["users", "alice"], "last-question"))?.value).toEqual({
      text: "Which database does the team use?",
    });
    // The node's write is an ordinary Engram memory too.
    const recalled = await second.memory.recall({
      namespace: ["users", "alice"],
      query: "which database question",
    });
    expect(recalled.map((memory) => memory.content).join("\n")).toContain(
      "Which database does the team use?",
    );
    await second.stop();
  });
});
