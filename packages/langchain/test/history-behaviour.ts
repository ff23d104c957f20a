import { EngramError } from "@engram/core";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";
import { RunnableWithMessageHistory } from "@langchain/core/runnables";
import { fakeModel } from "@langchain/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngramChatMessageHistory } from "../src/chat-history/engram-chat-message-history.js";
import { conversation, fields } from "./conversation.js";
import type { MemoryTarget, OpenTarget } from "./targets.js";

/** EngramChatMessageHistory's behaviour, on one backend. */
export function describeHistoryBehaviour(name: string, open: OpenTarget) {
  describe(`EngramChatMessageHistory on ${name}`, () => {
    let target: MemoryTarget;

    beforeEach(() => {
      target = open();
    });
    afterEach(() => target.cleanup());

    const history = (threadId = "chat-1", namespace = ["users", "alice"], last?: number) =>
      new EngramChatMessageHistory({
        memory: target.memory,
        namespace,
        threadId,
        ...(last === undefined ? {} : { last }),
      });

    it("round-trips human, AI, system, tool and chat messages exactly, tool calls included", async () => {
      await history().addMessages(conversation);
      // A new instance reads what another wrote, as another process would.
      const back = await history().getMessages();
      expect(back.map(fields)).toEqual(conversation.map(fields));
      expect(back.map((message) => message.constructor)).toEqual(
        conversation.map((message) => message.constructor),
      );
    });

    it("stores the thread where every Engram adapter reads it", async () => {
      await history().addMessages(conversation.slice(0, 5));
      const { messages } = await target.memory.messages.list({
        namespace: ["users", "alice"],
        threadId: "chat-1",
      });
      expect(messages.map((message) => message.role)).toEqual([
        "system",
        "user",
        "user",
        "assistant",
        "tool",
      ]);
      expect(messages[3]?.content).toEqual([
        expect.objectContaining({
          type: "tool-call",
          toolCallId: "call-1",
          toolName: "search_flights",
        }),
        expect.objectContaining({ type: "tool-call", toolCallId: "call-2" }),
      ]);
    });

    it("adds one message at a time, with ids given to those without", async () => {
      const chat = history();
      await chat.addUserMessage("Hello");
      await chat.addAIMessage("Hi! How can I help?");
      await chat.addMessage(new SystemMessage({ id: "s1", content: "Be brief." }));
      const back = await chat.getMessages();
      expect(back.map((message) => [message.getType(), message.text])).toEqual([
        ["human", "Hello"],
        ["ai", "Hi! How can I help?"],
        ["system", "Be brief."],
      ]);
      expect(back.every((message) => typeof message.id === "string" && message.id.length > 0)).toBe(
        true,
      );
      expect(back[2]?.id).toBe("s1");
      // The same message again is not stored twice.
      await chat.addMessage(new SystemMessage({ id: "s1", content: "Be brief." }));
      expect(await chat.getMessages()).toHaveLength(3);
    });

    it("reads whole threads past one page, and only the newest with last", async () => {
      const many = Array.from(
        { length: 1205 },
        (_, index) =>
          new HumanMessage({
            id: `m-${String(index).padStart(4, "0")}`,
            content: `message ${index}`,
          }),
      );
      await history().addMessages(many);
      const all = await history().getMessages();
      expect(all.map((message) => message.id)).toEqual(many.map((message) => message.id));
      const newest = await history("chat-1", ["users", "alice"], 3).getMessages();
      expect(newest.map((message) => message.text)).toEqual([
        "message 1202",
        "message 1203",
        "message 1204",
      ]);
      await history().clear();
      expect(await history().getMessages()).toEqual([]);
    });

    it("clear() empties the thread and leaves other threads alone", async () => {
      await history("chat-1").addMessages(conversation);
      await history("chat-2").addUserMessage("Another chat");
      await history("chat-1", ["users", "bob"]).addUserMessage("Bob's chat");
      await history("chat-1").clear();
      expect(await history("chat-1").getMessages()).toEqual([]);
      const thread = await target.memory.threads.get({
        namespace: ["users", "alice"],
        threadId: "chat-1",
      });
      expect(thread?.messageCount).toBe(0);
      expect((await history("chat-2").getMessages()).map((message) => message.text)).toEqual([
        "Another chat",
      ]);
      expect((await history("chat-1", ["users", "bob"]).getMessages()).map((m) => m.text)).toEqual([
        "Bob's chat",
      ]);
      await history("chat-1").addUserMessage("Fresh start");
      expect((await history("chat-1").getMessages()).map((message) => message.text)).toEqual([
        "Fresh start",
      ]);
      await history("never-used").clear();
    });

    it("keeps a conversation for RunnableWithMessageHistory", async () => {
      const model = fakeModel()
        .respond(new AIMessage("Nice to meet you, Alice."))
        .respond(new AIMessage("Your name is Alice."));
      const prompt = ChatPromptTemplate.fromMessages([
        ["system", "You are friendly."],
        new MessagesPlaceholder("history"),
        ["human", "{question}"],
      ]);
      const chain = new RunnableWithMessageHistory({
        runnable: prompt.pipe(model),
        getMessageHistory: (sessionId: string) => history(sessionId),
        inputMessagesKey: "question",
        historyMessagesKey: "history",
      });
      const config = { configurable: { sessionId: "session-9" } };
      await chain.invoke({ question: "I am Alice." }, config);
      await chain.invoke({ question: "What is my name?" }, config);
      const second = model.calls[1]!.messages.map((message) => message.text);
      expect(second).toEqual([
        "You are friendly.",
        "I am Alice.",
        "Nice to meet you, Alice.",
        "What is my name?",
      ]);
      expect(await history("session-9").getMessages()).toHaveLength(4);
    });

    it("refuses bad options and messages it cannot store, writing nothing", async () => {
      for (const bad of [
        { namespace: ["users", "../x"] },
        { threadId: "" },
        { threadId: "x".repeat(257) },
        { last: 0 },
      ]) {
        expect(
          () =>
            new EngramChatMessageHistory({
              memory: target.memory,
              namespace: ["users", "alice"],
              threadId: "ok",
              ...(bad as object),
            }),
        ).toThrow(EngramError);
      }
      const chat = history();
      await expect(
        chat.addMessages([
          new HumanMessage("kept?"),
          new HumanMessage({ content: [{ type: "text", text: "x" }, 42 as never] }),
        ]),
      ).rejects.toThrow(EngramError);
      expect(await chat.getMessages()).toEqual([]);
    });
  });
}
