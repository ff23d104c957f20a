import { generateObject, generateText, Output } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createMemory, type Memory } from "../memory/create-memory.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { messageText } from "./message-text.js";
import type { Decide, Extract } from "./types.js";

// A real AI SDK 6 structured-output call on a mock model: the extractor and the decider are
// what a user writes around their own model; only the model's replies are scripted here.

type CallOptions = Parameters<MockLanguageModelV3["doGenerate"]>[0];

const usage = {
  inputTokens: { total: 20, noCache: 20, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 10, text: 10, reasoning: 0 },
};

/** The text of every text part the model was sent. */
function promptText(options: CallOptions): string {
  return options.prompt
    .flatMap((message) =>
      typeof message.content === "string"
        ? [message.content]
        : message.content.flatMap((part) => (part.type === "text" ? [part.text] : [])),
    )
    .join("\n");
}

/** A mock model that answers each call with JSON computed from the prompt it was sent. */
function jsonModel(respond: (prompt: string) => unknown) {
  return new MockLanguageModelV3({
    doGenerate: async (options: CallOptions) => ({
      content: [{ type: "text", text: JSON.stringify(respond(promptText(options))) }],
      finishReason: { unified: "stop", raw: "stop" },
      usage,
      warnings: [],
    }),
  });
}

const factsSchema = z.object({
  facts: z.array(
    z.object({
      content: z.string(),
      kind: z.enum(["fact", "preference"]),
      messageIds: z.array(z.string()),
    }),
  ),
});

const decisionSchema = z.object({
  action: z.enum(["add", "update", "delete", "none"]),
  memoryId: z.string().optional(),
});

// The "LLM": finds facts in the transcript it is given, citing the message ids it saw.
const extractor = jsonModel((prompt) => {
  const facts: z.infer<typeof factsSchema>["facts"] = [];
  for (const [, id, text] of prompt.matchAll(/^\[([^\]]+)\] user: (.+)$/gm)) {
    if (text!.includes("vegetarian"))
      facts.push({ content: "Alice is vegetarian", kind: "preference", messageIds: [id!] });
    if (text!.includes("Lyon"))
      facts.push({ content: "Alice lives in Lyon", kind: "fact", messageIds: [id!] });
  }
  return { facts };
});

// And decides: a move updates the old address, anything else is added.
const decider = jsonModel((prompt) => {
  const old = /\[([^\]]+)\] Alice lives in Paris/.exec(prompt);
  return prompt.includes("Lyon") && old
    ? { action: "update", memoryId: old[1] }
    : { action: "add" };
});

const extract: Extract = async ({ messages }) => {
  const { output } = await generateText({
    model: extractor,
    output: Output.object({ schema: factsSchema }),
    prompt: `Extract lasting facts about the user.\n${messages
      .map((message) => `[${message.id}] ${message.role}: ${messageText(message)}`)
      .join("\n")}`,
  });
  return output.facts;
};

const decide: Decide = async ({ candidate, similar }) => {
  const { object } = await generateObject({
    model: decider,
    schema: decisionSchema,
    prompt: `New fact: ${candidate.content}\nKnown:\n${similar.map((m) => `[${m.id}] ${m.content}`).join("\n")}`,
  });
  return object.action === "update" || object.action === "delete"
    ? { action: object.action, memoryId: object.memoryId! }
    : { action: object.action };
};

describe("ingest with an AI SDK model", () => {
  let memory: Memory;
  afterEach(() => memory.close());

  it("extracts with structured output and applies the model's decisions", async () => {
    memory = createMemory({
      backend: sqliteBackend({ path: ":memory:" }),
      embedder: createTestEmbedder(),
    });
    const ns = ["acme", "users", "alice"];
    const { id: paris } = await memory.remember({ namespace: ns, content: "Alice lives in Paris" });
    const said = await memory.messages.append({
      namespace: ns,
      threadId: "chat",
      messages: [
        { role: "user", content: "I'm vegetarian, by the way" },
        { role: "assistant", content: "Noted!" },
        { role: "user", content: [{ type: "text", text: "We just moved to Lyon" }] },
      ],
    });

    const report = await memory.ingest({ namespace: ns, threadId: "chat", extract, decide });

    expect(extractor.doGenerateCalls).toHaveLength(1);
    expect(extractor.doGenerateCalls[0]!.responseFormat).toMatchObject({ type: "json" });
    expect(decider.doGenerateCalls).toHaveLength(2);
    expect(report.decisions.map((d) => [d.action, d.candidate.content])).toEqual([
      ["add", "Alice is vegetarian"],
      ["update", "Alice lives in Lyon"],
    ]);
    expect(report.decisions[1]!.memoryId).toBe(paris);
    expect((await memory.get(paris))?.content).toBe("Alice lives in Lyon");
    const [preference] = (await memory.list({ namespace: ns, kinds: ["preference"] })).memories;
    expect(preference?.content).toBe("Alice is vegetarian");
    expect((await memory.history(paris)).at(-1)?.source).toEqual({
      namespace: ns,
      threadId: "chat",
      messageIds: [said[2]!.id],
    });
    expect(
      (await memory.ingest({ namespace: ns, threadId: "chat", extract, decide })).messages,
    ).toBe(0);
    expect(extractor.doGenerateCalls).toHaveLength(1);
  });
});
