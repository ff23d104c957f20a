import type { LanguageModelV3Middleware, LanguageModelV4Middleware } from "@ai-sdk/provider";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import * as ai6 from "ai";
import * as ai6Test from "ai/test";
import * as ai7 from "ai-v7";
import * as ai7Test from "ai-v7/test";
import { describe, expectTypeOf, it } from "vitest";
import { type MemoryMiddleware, memoryMiddleware } from "./middleware/index.js";
import { memoryTools, memoryToolsContext } from "./tools/index.js";

// These checks run in `pnpm typecheck` (tsc over src): they fail to compile, not at run time,
// when the middleware or the tools stop fitting either major's types.
describe("types on both AI SDK majors", () => {
  it("the middleware is a v3 middleware for ai 6 and a middleware for ai 7", () => {
    expectTypeOf<MemoryMiddleware<"v3">>().toExtend<ai6.LanguageModelMiddleware>();
    expectTypeOf<MemoryMiddleware<"v3">>().toExtend<LanguageModelV3Middleware>();
    expectTypeOf<MemoryMiddleware<"v3">>().toExtend<ai7.LanguageModelMiddleware>();
    expectTypeOf<MemoryMiddleware<"v4">>().toExtend<LanguageModelV4Middleware>();
    expectTypeOf<MemoryMiddleware<"v4">>().toExtend<ai7.LanguageModelMiddleware>();
  });

  it("wraps each major's models and passes each major's tool calls", () => {
    const memory = createMemory({
      backend: sqliteBackend({ path: ":memory:" }),
      embedder: createTestEmbedder(),
    });
    const namespace = ["acme", "users", "alice"];
    const six = ai6.wrapLanguageModel({
      model: new ai6Test.MockLanguageModelV3(),
      middleware: memoryMiddleware({ memory, namespace }),
    });
    const seven = ai7.wrapLanguageModel({
      model: new ai7Test.MockLanguageModelV4(),
      middleware: memoryMiddleware({ memory, namespace, specificationVersion: "v4" }),
    });
    const sevenFromV3 = ai7.wrapLanguageModel({
      model: new ai7Test.MockLanguageModelV4(),
      middleware: [memoryMiddleware({ memory, namespace })],
    });
    const tools = memoryTools({
      memory,
      namespace: (context: { user: string }) => ["acme", "users", context.user],
    });
    const fixedTools = memoryTools({ memory, namespace });
    // Compiled only: these calls would need a mock response to run.
    const calls = () => [
      ai6.generateText({
        model: six,
        tools,
        experimental_context: { user: "alice" },
        prompt: "hi",
      }),
      ai6.streamText({ model: six, tools: fixedTools, prompt: "hi" }),
      ai7.generateText({
        model: seven,
        tools,
        toolsContext: memoryToolsContext(tools, { user: "alice" }),
        prompt: "hi",
      }),
      ai7.streamText({ model: sevenFromV3, tools: fixedTools, prompt: "hi" }),
      // @ts-expect-error ai 7 requires the context the namespace function reads.
      ai7.generateText({ model: seven, tools, prompt: "hi" }),
    ];
    expectTypeOf(calls).toBeFunction();
    void memory.close();
  });
});
