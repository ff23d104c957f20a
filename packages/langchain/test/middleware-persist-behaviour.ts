import { EngramError, type Memory } from "@engram/core";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryMiddleware } from "../src/middleware/memory-middleware.js";
import { RECALL_MESSAGE_ID } from "../src/middleware/recall-message.js";
import type { MemoryTarget, OpenTarget } from "./targets.js";

const alice = (thread: string) => ({
  context: { user_id: "alice" },
  configurable: { thread_id: thread },
});

/** The middleware's persistence after each turn, on one backend. */
export function describeMiddlewarePersistence(name: string, open: OpenTarget) {
  describe(`memoryMiddleware persistence on ${name}`, () => {
    let target: MemoryTarget;

    beforeEach(() => {
      target = open();
    });
    afterEach(() => target.cleanup());

    const thread = (threadId: string) =>
      target.memory.messages
        .list({ namespace: ["users", "alice"], threadId, limit: 1000 })
        .then((window) => window.messages);

    it("stores every turn in the thread, tool calls included, once each", async () => {
      const middleware = memoryMiddleware({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        tools: true,
      });
      const model = fakeModel()
        .respondWithTools([{ name: "manage_memory", args: { content: "Alice plays the cello" } }])
        .respond(new AIMessage("I'll remember that."))
        .respond(new AIMessage("You play the cello."));
      const agent = createAgent({
        model,
        middleware: [middleware],
        checkpointer: new MemorySaver(),
      });
      await agent.invoke({ messages: [new HumanMessage("I play the cello")] }, alice("t1"));
      const second = await agent.invoke(
        { messages: [new HumanMessage("What do I play?")] },
        alice("t1"),
      );
      await middleware.flush();

      const stored = await thread("t1");
      expect(stored.map((message) => message.role)).toEqual([
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
        "assistant",
      ]);
      expect(stored.map((message) => message.id)).toEqual(
        second.messages.map((message) => message.id),
      );
      expect(stored.some((message) => message.id === RECALL_MESSAGE_ID)).toBe(false);
      expect(stored[1]?.content).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: "tool-call", toolName: "manage_memory" }),
        ]),
      );
      const toolResult = second.messages.find(ToolMessage.isInstance);
      expect(stored[2]?.content).toEqual([
        expect.objectContaining({ type: "tool-result", toolCallId: toolResult?.tool_call_id }),
      ]);
    });

    it("answers before the turn is stored, and flush() waits for it", async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const gated: Memory = {
        ...target.memory,
        messages: {
          ...target.memory.messages,
          append: async (input) => {
            await gate;
            return target.memory.messages.append(input);
          },
        },
      };
      const middleware = memoryMiddleware({ memory: gated, namespace: ["users", "{user_id}"] });
      const agent = createAgent({
        model: fakeModel().respond(new AIMessage("Hello Alice.")),
        middleware: [middleware],
      });
      const result = await agent.invoke({ messages: [new HumanMessage("Hi")] }, alice("t2"));
      expect(result.messages.at(-1)?.text).toBe("Hello Alice.");
      expect(await thread("t2")).toEqual([]);
      release();
      await middleware.flush();
      expect((await thread("t2")).map((message) => message.role)).toEqual(["user", "assistant"]);
    });

    it("ingests the turn into long-term memory when asked, for the next turn to recall", async () => {
      const middleware = memoryMiddleware({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        ingest: true,
      });
      const model = fakeModel()
        .respond(new AIMessage("Enjoy Kyoto!"))
        .respond(new AIMessage("You are going to Kyoto."));
      const agent = createAgent({ model, middleware: [middleware] });
      await agent.invoke(
        { messages: [new HumanMessage("I am travelling to Kyoto in April")] },
        alice("t3"),
      );
      await middleware.flush();
      const memories = await target.memory.list({ namespace: ["users", "alice"] });
      expect(memories.memories.map((memory) => memory.content)).toContain(
        "I am travelling to Kyoto in April",
      );
      await agent.invoke(
        { messages: [new HumanMessage("Where am I travelling in April?")] },
        alice("t4"),
      );
      const recall = model.calls[1]!.messages.find((message) => message.id === RECALL_MESSAGE_ID);
      expect(recall?.text).toContain("I am travelling to Kyoto in April");
      await middleware.flush();
    });

    it("reports a turn it could not store to onError, without failing the answer", async () => {
      const errors: unknown[] = [];
      const middleware = memoryMiddleware({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        threadId: () => "x".repeat(300), // longer than a thread id may be
        onError: (error) => errors.push(error),
      });
      const agent = createAgent({
        model: fakeModel().respond(new AIMessage("Fine.")),
        middleware: [middleware],
      });
      const result = await agent.invoke({ messages: [new HumanMessage("Hi")] }, alice("ignored"));
      expect(result.messages.at(-1)?.text).toBe("Fine.");
      await middleware.flush();
      expect(errors).toHaveLength(1);
      expect(EngramError.isInstance(errors[0]) && errors[0].code).toBe("INVALID_ARGUMENT");
    });

    it("fails the run before any model call when there is no thread to store it in", async () => {
      const model = fakeModel().respond(new AIMessage("never"));
      const agent = createAgent({
        model,
        middleware: [
          memoryMiddleware({ memory: target.memory, namespace: ["users", "{user_id}"] }),
        ],
      });
      const error = await agent
        .invoke({ messages: [new HumanMessage("Hi")] }, { context: { user_id: "alice" } })
        .catch((caught: unknown) => caught);
      expect(EngramError.isInstance(error) && error.code).toBe("INVALID_ARGUMENT");
      expect((error as Error).message).toContain("configurable.thread_id");
      expect(model.callCount).toBe(0);
    });
  });
}
