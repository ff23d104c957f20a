import { EngramError } from "@engram/core";
import type { Document } from "@langchain/core/documents";
import { AIMessage } from "@langchain/core/messages";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnablePassthrough, RunnableSequence } from "@langchain/core/runnables";
import { fakeModel } from "@langchain/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngramRetriever } from "../src/retriever/engram-retriever.js";
import type { MemoryTarget, OpenTarget } from "./targets.js";

/** EngramRetriever's behaviour, on one backend. */
export function describeRetrieverBehaviour(name: string, open: OpenTarget) {
  describe(`EngramRetriever on ${name}`, () => {
    let target: MemoryTarget;

    beforeEach(async () => {
      target = open();
      await target.memory.remember([
        {
          namespace: ["users", "alice"],
          content: "Alice prefers green tea in the afternoon",
          kind: "preference",
          tags: ["drinks"],
          metadata: { source: "chat" },
        },
        {
          namespace: ["users", "alice"],
          content: "Alice drinks black coffee every morning",
          kind: "fact",
          tags: ["drinks", "morning"],
        },
        {
          namespace: ["users", "alice"],
          content: "Alice's flight to Oslo leaves Monday",
          kind: "task",
        },
        { namespace: ["users", "bob"], content: "Bob drinks only green tea", kind: "preference" },
      ]);
    });
    afterEach(() => target.cleanup());

    it("returns memories as documents: content, id, kind, tags, score, no explanation", async () => {
      const retriever = new EngramRetriever({
        memory: target.memory,
        namespace: ["users", "alice"],
      });
      const documents = await retriever.invoke("green tea");
      expect(documents.length).toBeGreaterThan(0);
      expect(documents.length).toBeLessThanOrEqual(4);
      const best = documents[0]!;
      expect(best.pageContent).toBe("Alice prefers green tea in the afternoon");
      expect(best.id).toBe(best.metadata.id);
      expect(best.metadata).toEqual({
        id: expect.any(String),
        namespace: ["users", "alice"],
        kind: "preference",
        tags: ["drinks"],
        score: expect.any(Number),
        importance: 0.5,
        pinned: false,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        metadata: { source: "chat" },
      });
      expect((await target.memory.get(best.metadata.id))?.content).toBe(best.pageContent);
      // Bob's memory is out of scope.
      expect(documents.map((document) => document.pageContent)).not.toContain(
        "Bob drinks only green tea",
      );
    });

    it("applies k, filters, mode, minScore and explain", async () => {
      const memory = target.memory;
      const one = new EngramRetriever({ memory, within: ["users"], k: 1 });
      expect(await one.invoke("green tea")).toHaveLength(1);

      const tagged = new EngramRetriever({
        memory,
        namespace: ["users", "alice"],
        filter: { tags: ["morning"] },
      });
      expect((await tagged.invoke("drinks")).map((document) => document.pageContent)).toEqual([
        "Alice drinks black coffee every morning",
      ]);

      const tasks = new EngramRetriever({
        memory,
        namespace: ["users", "alice"],
        filter: { kinds: ["task"] },
        mode: "keyword",
      });
      expect((await tasks.invoke("Oslo flight")).map((document) => document.metadata.kind)).toEqual(
        ["task"],
      );
      expect(await tasks.invoke("green tea")).toEqual([]);

      const strict = new EngramRetriever({ memory, within: ["users"], minScore: 0.99 });
      expect(await strict.invoke("unrelated words entirely")).toEqual([]);

      const explained = new EngramRetriever({
        memory,
        namespace: ["users", "alice"],
        mode: "semantic",
        explain: true,
      });
      const [first] = await explained.invoke("green tea");
      expect(first?.metadata.explanation?.semantic).toEqual(expect.any(Number));
      expect(first?.metadata.explanation?.relevance).toEqual(expect.any(Number));
    });

    it("fills a template per call, for concurrent users, and refuses a call without it", async () => {
      const retriever = new EngramRetriever({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        k: 10,
      });
      const [forAlice, forBob] = await Promise.all([
        retriever.invoke("green tea", { configurable: { user_id: "alice" } }),
        retriever.invoke("green tea", { context: { user_id: "bob" } } as never),
      ]);
      expect(new Set(forAlice.map((document) => document.metadata.namespace.join("/")))).toEqual(
        new Set(["users/alice"]),
      );
      expect(forBob.map((document) => document.pageContent)).toEqual(["Bob drinks only green tea"]);
      const error = await retriever.invoke("green tea").catch((caught: unknown) => caught);
      expect(EngramError.isInstance(error) && error.code).toBe("INVALID_NAMESPACE");
    });

    it("works in an LCEL chain, with the run's config reaching the retriever", async () => {
      const retriever = new EngramRetriever({
        memory: target.memory,
        namespace: ["users", "{user_id}"],
        k: 2,
      });
      const model = fakeModel().respond(new AIMessage("Green tea, in the afternoon."));
      const prompt = ChatPromptTemplate.fromMessages([
        ["system", "Answer from these memories only:\n{memories}"],
        ["human", "{question}"],
      ]);
      const chain = RunnableSequence.from([
        {
          memories: retriever.pipe((documents: Document[]) =>
            documents.map((document) => `- ${document.pageContent}`).join("\n"),
          ),
          question: new RunnablePassthrough(),
        },
        prompt,
        model,
        new StringOutputParser(),
      ]);
      const answer = await chain.invoke("What tea does she like?", {
        configurable: { user_id: "alice" },
      });
      expect(answer).toBe("Green tea, in the afternoon.");
      const [system] = model.calls[0]!.messages;
      expect(system?.text).toContain("- Alice prefers green tea in the afternoon");
      expect(system?.text).not.toContain("Bob");
    });

    it("refuses bad options at once", () => {
      for (const bad of [
        {},
        { namespace: ["users", "u-{user_id}"] },
        { namespace: ["a"], k: 0 },
        { namespace: ["a"], minScore: 2 },
        { namespace: ["a"], mode: "fuzzy" },
        { namespace: ["a"], filter: "kinds" },
      ]) {
        expect(() => new EngramRetriever({ memory: target.memory, ...(bad as object) })).toThrow(
          EngramError,
        );
      }
      expect(() => new EngramRetriever({ namespace: ["a"] } as never)).toThrow(EngramError);
    });
  });
}
