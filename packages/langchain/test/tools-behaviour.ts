import { EngramError } from "@engram/core";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryTools } from "../src/tools/create-memory-tools.js";
import type { MemoryTarget, OpenTarget } from "./targets.js";

async function rejection(promise: Promise<unknown>): Promise<EngramError> {
  try {
    await promise;
  } catch (error) {
    if (EngramError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const alice = { configurable: { user_id: "alice" } };
const bob = { configurable: { user_id: "bob" } };

/** The memory tools' behaviour, on one backend. */
export function describeToolsBehaviour(name: string, open: OpenTarget) {
  describe(`memory tools on ${name}`, () => {
    let target: MemoryTarget;

    beforeEach(() => {
      target = open();
    });
    afterEach(() => target.cleanup());

    function tools(extra: Partial<Parameters<typeof createMemoryTools>[0]> = {}) {
      return createMemoryTools({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        ...extra,
      });
    }

    it("creates, searches, updates and deletes in the namespace the run names", async () => {
      const [manage, search] = tools();
      const created = JSON.parse(
        await manage.invoke({ content: "Alice prefers window seats", kind: "preference" }, alice),
      );
      expect(created).toEqual({
        status: "created",
        id: expect.any(String),
        content: "Alice prefers window seats",
        kind: "preference",
      });
      const stored = await target.memory.get(created.id);
      expect(stored?.namespace).toEqual(["users", "alice"]);

      const found = JSON.parse(await search.invoke({ query: "window seats" }, alice));
      expect(found).toHaveLength(1);
      // Compact: exactly these fields, no hashes, vectors or timestamps.
      expect(Object.keys(found[0]).sort()).toEqual(["content", "id", "kind", "score"]);
      expect(found[0]).toMatchObject({ id: created.id, kind: "preference" });
      expect(found[0].score).toBeGreaterThan(0);
      expect(found[0].score).toBeLessThanOrEqual(1);

      const updated = JSON.parse(
        await manage.invoke(
          { action: "update", id: created.id, content: "Alice prefers aisle seats" },
          alice,
        ),
      );
      expect(updated).toMatchObject({ status: "updated", id: created.id, kind: "preference" });
      expect((await target.memory.get(created.id))?.content).toBe("Alice prefers aisle seats");

      expect(JSON.parse(await manage.invoke({ action: "delete", id: created.id }, alice))).toEqual({
        status: "deleted",
        id: created.id,
      });
      expect(await target.memory.get(created.id)).toBeUndefined();
      expect(JSON.parse(await search.invoke({ query: "seats" }, alice))).toEqual([]);
    });

    it("fills the template from the run's context as well as config.configurable", async () => {
      const [manage] = tools({ namespace: ["acme", "{tenant}", "users", "{user_id}"] });
      const created = JSON.parse(
        await manage.invoke(
          { content: "Carol works nights" },
          { context: { user_id: "carol" }, configurable: { tenant: "t1" } },
        ),
      );
      expect((await target.memory.get(created.id))?.namespace).toEqual([
        "acme",
        "t1",
        "users",
        "carol",
      ]);
    });

    it("refuses a run without the value, writing nothing and never falling back", async () => {
      const [manage, search] = tools();
      for (const config of [undefined, { configurable: {} }, { configurable: { user_id: "" } }]) {
        const error = await rejection(manage.invoke({ content: "orphan" }, config));
        expect(error.code).toBe("INVALID_NAMESPACE");
        expect(error.message).toContain('needs "user_id"');
        expect((await rejection(search.invoke({ query: "orphan" }, config))).code).toBe(
          "INVALID_NAMESPACE",
        );
      }
      const invalid = await rejection(
        manage.invoke({ content: "escape" }, { configurable: { user_id: "../bob" } }),
      );
      expect(invalid.code).toBe("INVALID_NAMESPACE");
      expect((await target.memory.list({ within: ["users"] })).memories).toEqual([]);
    });

    it("keeps users apart: search, update and delete never reach another namespace", async () => {
      const [manage, search] = tools();
      const bobs = JSON.parse(await manage.invoke({ content: "Bob's locker code is 4411" }, bob));
      expect(JSON.parse(await search.invoke({ query: "locker code" }, alice))).toEqual([]);
      for (const action of ["update", "delete"] as const) {
        const error = await rejection(
          manage.invoke({ action, id: bobs.id, content: "hijacked" }, alice),
        );
        expect(error.code).toBe("NOT_FOUND");
      }
      // A missing id reads exactly like another user's.
      const missing = await rejection(manage.invoke({ action: "delete", id: "not-an-id" }, alice));
      expect(missing.message).toBe(
        "No memory with id not-an-id in this memory. Use an id from search results or recalled memories.",
      );
      expect((await target.memory.get(bobs.id))?.content).toBe("Bob's locker code is 4411");
    });

    it("tells the model what it got wrong", async () => {
      const [manage] = tools();
      const withId = await rejection(manage.invoke({ content: "x", id: "abc" }, alice));
      expect(withId.message).toContain("Do not pass an id when creating");
      const noId = await rejection(manage.invoke({ action: "update", content: "x" }, alice));
      expect(noId.message).toBe("To update a memory, pass its id.");
      const noContent = await rejection(manage.invoke({ action: "create" }, alice));
      expect(noContent.message).toBe("Creating a memory needs its content.");
      expect((await target.memory.list({ within: ["users"] })).memories).toEqual([]);
    });

    it("reports a duplicate as the memory that already holds it", async () => {
      const [manage] = tools();
      const first = JSON.parse(await manage.invoke({ content: "Alice is vegetarian" }, alice));
      const again = JSON.parse(await manage.invoke({ content: "Alice is vegetarian" }, alice));
      expect(again.status === "merged" || again.status === "skipped").toBe(true);
      expect(again.id).toBe(first.id);
    });

    it("limits actions and kinds, and searches a subtree when asked", async () => {
      const [manage, search] = tools({ actions: ["create"], kinds: ["note"], scope: "within" });
      expect(manage.description).toMatch(/^Create a memory/);
      await expect(manage.invoke({ action: "delete", id: "x" }, alice)).rejects.toThrow(
        /did not match expected schema/,
      );
      await expect(manage.invoke({ content: "x", kind: "fact" }, alice)).rejects.toThrow(
        /did not match expected schema/,
      );
      const note = JSON.parse(await manage.invoke({ content: "A note without a kind" }, alice));
      expect(note.kind).toBe("note");
      await target.memory.remember({
        namespace: ["users", "alice", "projects", "p1"],
        content: "Project p1 ships in May",
      });
      const found = JSON.parse(await search.invoke({ query: "ships in May" }, alice));
      expect(found[0]?.content).toBe("Project p1 ships in May");
    });

    it("returns full records as the artifact when asked", async () => {
      const [manage, search] = tools({ responseFormat: "content_and_artifact" });
      const message = await manage.invoke(
        {
          type: "tool_call",
          id: "call-1",
          name: "manage_memory",
          args: { content: "Alice's dog is called Rex" },
        },
        alice,
      );
      expect(ToolMessage.isInstance(message)).toBe(true);
      expect(JSON.parse(String(message.content)).status).toBe("created");
      expect(message.artifact.namespace).toEqual(["users", "alice"]);
      const results = await search.invoke(
        {
          type: "tool_call",
          id: "call-2",
          name: "search_memory",
          args: { query: "dog" },
        },
        alice,
      );
      expect(results.artifact[0].contentHash).toEqual(expect.any(String));
      expect(String(results.content)).not.toContain("contentHash");
    });

    it("refuses bad options at once", () => {
      for (const bad of [
        { namespace: ["users", "u-{user_id}"] },
        { actions: [] },
        { limit: 0 },
        { names: { manage: "has space" } },
        { unknown: true },
      ]) {
        expect(() => tools(bad as never)).toThrow(EngramError);
      }
    });

    it("work in createAgent, namespaced by the runtime context", async () => {
      const model = fakeModel()
        .respondWithTools([
          { name: "manage_memory", args: { content: "Dana's favourite colour is teal" } },
        ])
        .respond(new AIMessage("Noted."));
      const agent = createAgent({ model, tools: [...tools()] });
      const result = await agent.invoke(
        { messages: [new HumanMessage("Remember: my favourite colour is teal")] },
        { context: { user_id: "dana" } },
      );
      const toolMessage = result.messages.find(ToolMessage.isInstance);
      expect(JSON.parse(String(toolMessage?.content)).status).toBe("created");
      const stored = await target.memory.list({ namespace: ["users", "dana"] });
      expect(stored.memories.map((memory) => memory.content)).toEqual([
        "Dana's favourite colour is teal",
      ]);
    });

    it("give the model a clear tool error in createAgent when the value is missing", async () => {
      const model = fakeModel()
        .respondWithTools([{ name: "manage_memory", args: { content: "lost" } }])
        .respond(new AIMessage("Sorry."));
      const agent = createAgent({ model, tools: [...tools()] });
      const result = await agent.invoke({ messages: [new HumanMessage("Remember this")] });
      const toolMessage = result.messages.find(ToolMessage.isInstance);
      expect(toolMessage?.status).toBe("error");
      expect(String(toolMessage?.content)).toContain('needs "user_id"');
      expect((await target.memory.list({ within: ["users"] })).memories).toEqual([]);
    });

    it("work in a hand-built LangGraph graph, namespaced by config.configurable", async () => {
      const memoryTools = [...tools()];
      const model = fakeModel()
        .respondWithTools([{ name: "manage_memory", args: { content: "Erin is on call Fridays" } }])
        .respondWithTools([{ name: "search_memory", args: { query: "on call" } }])
        .respond(new AIMessage("You are on call on Fridays."));
      const bound = model.bindTools(memoryTools);
      const graph = new StateGraph(MessagesAnnotation)
        .addNode("agent", async (state) => ({ messages: [await bound.invoke(state.messages)] }))
        .addNode("tools", new ToolNode(memoryTools))
        .addEdge(START, "agent")
        .addConditionalEdges("agent", toolsCondition, ["tools", END])
        .addEdge("tools", "agent")
        .compile();
      const result = await graph.invoke(
        { messages: [new HumanMessage("When am I on call?")] },
        { configurable: { user_id: "erin" } },
      );
      const toolMessages = result.messages.filter(ToolMessage.isInstance);
      expect(toolMessages.map((message) => message.status)).toEqual(["success", "success"]);
      const found = JSON.parse(String(toolMessages[1]?.content));
      expect(found.map((memory: { content: string }) => memory.content)).toEqual([
        "Erin is on call Fridays",
      ]);
      expect((await target.memory.list({ namespace: ["users", "erin"] })).memories).toHaveLength(1);
    });
  });
}
