import { Annotation, Command, END, interrupt, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { keysContaining, type TestClient, testClient, uniquePrefix } from "../../test/redis.js";
import { RedisSaver } from "./redis-saver.js";

const State = Annotation.Root({
  steps: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  approved: Annotation<boolean | undefined>(),
});

function buildGraph() {
  return new StateGraph(State)
    .addNode("plan", () => ({ steps: ["plan"] }))
    .addNode("draft", () => ({ steps: ["draft"] }))
    .addNode("review", () => {
      const answer = interrupt<string, { approved: boolean }>("Approve the draft?");
      return { steps: ["review"], approved: answer.approved };
    })
    .addNode("publish", () => ({ steps: ["publish"] }))
    .addEdge(START, "plan")
    .addEdge("plan", "draft")
    .addEdge("draft", "review")
    .addEdge("review", "publish")
    .addEdge("publish", END);
}

describe("a compiled graph on RedisSaver", () => {
  let client: TestClient;
  let prefix: string;

  beforeEach(async () => {
    client = await testClient();
    prefix = uniquePrefix("graph");
  });

  afterEach(async () => {
    const keys = await keysContaining(client, prefix);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  it("resumes after interrupt() from a new saver instance, as after a restart", async () => {
    const config = { configurable: { thread_id: "article-1" } };
    const first = new RedisSaver({ url: inject("redisUrl"), prefix });
    const interrupted = await buildGraph().compile({ checkpointer: first }).invoke({}, config);
    expect(interrupted.steps).toEqual(["plan", "draft"]);
    const interrupts = (interrupted as { __interrupt__?: { value: unknown }[] }).__interrupt__;
    expect(interrupts?.[0]?.value).toBe("Approve the draft?");
    await first.close();

    const second = new RedisSaver({ url: inject("redisUrl"), prefix });
    const graph = buildGraph().compile({ checkpointer: second });
    const pending = await graph.getState(config);
    expect(pending.next).toEqual(["review"]);
    expect(pending.tasks[0]?.interrupts[0]?.value).toBe("Approve the draft?");

    const done = await graph.invoke(new Command({ resume: { approved: true } }), config);
    expect(done).toEqual({ steps: ["plan", "draft", "review", "publish"], approved: true });

    const history = [];
    for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot);
    expect(history.length).toBeGreaterThanOrEqual(5);
    expect(history[0]?.values.steps).toEqual(["plan", "draft", "review", "publish"]);
    await second.close();
  });

  it("stops before a node with interruptBefore and continues from a new saver", async () => {
    const config = { configurable: { thread_id: "article-2" } };
    const first = new RedisSaver({ url: inject("redisUrl"), prefix });
    await buildGraph()
      .compile({ checkpointer: first, interruptBefore: ["draft"] })
      .invoke({}, config);
    await first.close();

    const second = new RedisSaver({ url: inject("redisUrl"), prefix });
    const graph = buildGraph().compile({ checkpointer: second, interruptBefore: ["draft"] });
    expect((await graph.getState(config)).next).toEqual(["draft"]);
    const paused = await graph.invoke(null, config);
    expect(paused.steps).toEqual(["plan", "draft"]);
    const done = await graph.invoke(new Command({ resume: { approved: false } }), config);
    expect(done.steps).toEqual(["plan", "draft", "review", "publish"]);
    expect(done.approved).toBe(false);
    await second.deleteThread("article-2");
    expect(await keysContaining(client, prefix)).toEqual([]);
    await second.close();
  });
});
