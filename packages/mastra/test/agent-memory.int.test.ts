import { fromEmbeddingModel } from "@engram/core";
import { Agent } from "@mastra/core/agent";
import type { MastraEmbeddingModel } from "@mastra/core/vector";
import { Memory } from "@mastra/memory";
import { afterEach, describe, expect, it } from "vitest";
import { EngramStore, EngramVector } from "../src/index.js";
import { backends, type TestMemory } from "./backends.js";
import { testEmbeddingModel } from "./embedding-model.js";
import { afterToolCall, scriptedModel } from "./mock-model.js";

/**
 * A real Mastra Agent with a real Mastra Memory on Engram, driven by an offline model: what one
 * thread learns, another thread of the same resource recalls; another resource sees none of it.
 */
describe.each(backends)("Mastra Agent + Memory on Engram ($name)", (backend) => {
  let opened: TestMemory | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it("recalls across threads of a resource, keeps working memory, isolates resources", async () => {
    const embedder = testEmbeddingModel();
    opened = await backend.open(fromEmbeddingModel(embedder));
    const engram = opened.memory;
    const memory = new Memory({
      storage: new EngramStore({ memory: engram }),
      vector: new EngramVector({ memory: engram }),
      embedder: embedder as unknown as MastraEmbeddingModel<string>,
      options: {
        lastMessages: 10,
        semanticRecall: { scope: "resource", topK: 3, messageRange: 1 },
        workingMemory: { enabled: true, scope: "resource" },
        generateTitle: false,
      },
    });
    // Step 1 of the first turn saves working memory through Mastra's own tool; then it answers.
    const { model, prompts } = scriptedModel((prompt) => {
      const text = JSON.stringify(prompt.at(-1)?.content ?? "");
      if (text.includes("My cat is called Pixel") && !afterToolCall(prompt))
        return {
          tool: "updateWorkingMemory",
          input: { memory: "# Ada\n- Next trip: Kyoto in April" },
        };
      return { text: "Noted." };
    });
    const agent = new Agent({
      id: "assistant",
      name: "assistant",
      instructions: "You are a helpful assistant.",
      model,
      memory,
    });

    await agent.generate("My cat is called Pixel, she is a tabby.", {
      memory: { thread: "ada-1", resource: "ada" },
    });
    await agent.generate("What is the name of my cat?", {
      memory: { thread: "ada-2", resource: "ada" },
    });
    const secondThread = prompts.at(-1)!;
    expect(secondThread).toContain("My cat is called Pixel"); // semantic recall from thread 1
    expect(secondThread).toContain("Kyoto in April"); // resource working memory

    await agent.generate("What is the name of my cat?", {
      memory: { thread: "bob-1", resource: "bob" },
    });
    const otherResource = prompts.at(-1)!;
    expect(otherResource).not.toContain("Pixel");
    expect(otherResource).not.toContain("Kyoto");

    // It all lives in Engram: the threads in the resource's namespace, where an erase reaches them.
    const threads = await engram.threads.list({ namespace: ["mastra", "resources", "ada"] });
    expect(threads.threads.map((thread) => thread.id).sort()).toEqual(["ada-1", "ada-2"]);
    const working = await memory.getWorkingMemory({ threadId: "ada-1", resourceId: "ada" });
    expect(working).toContain("Kyoto in April");
    await engram.forgetNamespace(["mastra", "resources", "ada"]);
    expect(await memory.getThreadById({ threadId: "ada-1" })).toBeNull();
  });
});
