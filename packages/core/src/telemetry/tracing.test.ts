import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createMemory } from "../memory/create-memory.js";
import { createTestEmbedder } from "../testing/test-embedder.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const open = (telemetry?: { recordContent: boolean }) =>
  createMemory({
    backend: sqliteBackend({ path: ":memory:" }),
    embedder: createTestEmbedder(),
    ...(telemetry ? { telemetry } : {}),
  });

const named = (name: string): ReadableSpan => {
  const found = exporter.getFinishedSpans().filter((span) => span.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("OpenTelemetry spans", () => {
  it("traces a hybrid recall as a tree: embedding under the semantic leg, keyword leg, fusion", async () => {
    const memory = open();
    await memory.remember([
      { namespace: ["acme", "alice"], content: "Alice prefers dark mode in every editor" },
      { namespace: ["acme", "alice"], content: "Alice deploys on Tuesdays" },
    ]);
    exporter.reset();
    const results = await memory.recall({ within: ["acme", "alice"], query: "dark mode editor" });
    await memory.close();

    const root = named("engram.recall");
    const semantic = named("engram.recall.semantic");
    const embedding = named("engram.recall.embedding");
    const keyword = named("engram.recall.keyword");
    const fusion = named("engram.recall.fusion");
    expect(parentOf(root)).toBeUndefined();
    expect(parentOf(semantic)).toBe(root.spanContext().spanId);
    expect(parentOf(keyword)).toBe(root.spanContext().spanId);
    expect(parentOf(fusion)).toBe(root.spanContext().spanId);
    expect(parentOf(embedding)).toBe(semantic.spanContext().spanId);
    expect(new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId)).size).toBe(1);

    expect(root.attributes).toMatchObject({
      "engram.backend": "sqlite",
      "engram.recall.mode": "hybrid",
      "engram.namespace.depth": 2,
      "engram.results": results.length,
    });
    expect(semantic.attributes["engram.recall.candidates"]).toBe(2);
    expect(keyword.attributes["engram.recall.candidates"]).toBeGreaterThan(0);
    expect(fusion.attributes["engram.candidates.semantic"]).toBe(2);

    // Neither the query nor a namespace name appears in any span unless the user opts in.
    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((span) => [span.name, span.attributes, span.events]),
    );
    for (const secret of ["dark", "acme", "alice", "Tuesdays"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("records the query and namespaces only with recordContent", async () => {
    const memory = open({ recordContent: true });
    await memory.remember({ namespace: ["acme"], content: "uses Postgres" });
    await memory.recall({ namespace: ["acme"], query: "database", mode: "keyword" });
    await memory.close();
    const root = named("engram.recall");
    expect(root.attributes).toMatchObject({
      "engram.query": "database",
      "engram.namespace": ["acme"],
      "engram.recall.mode": "keyword",
    });
    expect(exporter.getFinishedSpans().map((span) => span.name)).not.toContain(
      "engram.recall.semantic",
    );
  });

  it("traces remember, context and erase, and marks a rejected call as an error", async () => {
    const memory = open();
    await memory.remember({ namespace: ["a", "b", "c"], content: "one" });
    await memory.context({ within: ["a"], query: "one", maxTokens: 100 });
    await memory.forgetNamespace(["a"]);
    await expect(memory.recall({ namespace: ["a"], query: "", limit: 0 })).rejects.toThrow();
    await memory.close();

    expect(named("engram.remember").attributes).toMatchObject({
      "engram.remember.inputs": 1,
      "engram.remember.created": 1,
      "engram.namespace.depth": 3,
    });
    expect(named("engram.context").attributes).toMatchObject({ "engram.results": 1 });
    expect(named("engram.erase").attributes).toMatchObject({
      "engram.erased.memories": 1,
      "engram.namespace.depth": 1,
    });
    expect(named("engram.recall").status.code).toBe(2);
  });

  it("emits nothing with telemetry: false", async () => {
    const memory = createMemory({
      backend: sqliteBackend({ path: ":memory:" }),
      embedder: createTestEmbedder(),
      telemetry: false,
    });
    await memory.remember({ namespace: ["a"], content: "one" });
    await memory.recall({ namespace: ["a"], query: "one" });
    await memory.close();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
