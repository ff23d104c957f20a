import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let server: TestServer;
let key: string;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  server = await startTestServer();
  key = await server.key(["acme"]);
});
afterAll(async () => {
  await server.close();
  trace.disable();
  context.disable();
  await provider.shutdown();
});

it("answers every request with a request id, keeping a caller's plain one", async () => {
  const ok = await server.request("GET", "/v1/memories", { key });
  const unauthenticated = await server.request("GET", "/v1/memories");
  const missing = await server.request("GET", "/nowhere", { key });
  const ids = [ok, unauthenticated, missing].map((r) => r.headers.get("x-request-id"));
  expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
  expect(new Set(ids).size).toBe(3);

  const given = await server.request("GET", "/healthz", { headers: { "x-request-id": "abc-123" } });
  expect(given.headers.get("x-request-id")).toBe("abc-123");
  const unsafe = await server.request("GET", "/healthz", {
    headers: { "x-request-id": "has spaces and <tags>" },
  });
  expect(unsafe.headers.get("x-request-id")).not.toContain(" ");
});

it("wraps a request in an HTTP server span whose children are core's spans", async () => {
  await server.request("POST", "/v1/memories", {
    key,
    body: { namespace: ["team"], content: "Team deploys on Mondays" },
  });
  exporter.reset();
  const answer = await server.request("POST", "/v1/search", {
    key,
    body: { namespace: ["team"], query: "deploys" },
  });
  expect(answer.status).toBe(200);
  const spans = exporter.getFinishedSpans();
  const http = spans.find((span) => span.name === "POST /v1/search");
  const recall = spans.find((span) => span.name === "engram.recall");
  expect(http?.attributes).toMatchObject({
    "http.route": "/v1/search",
    "http.response.status_code": 200,
    "engram.request_id": answer.headers.get("x-request-id"),
  });
  expect(recall?.parentSpanContext?.spanId).toBe(http?.spanContext().spanId);
  // The key's root is a namespace value: it stays out of the spans.
  expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain("acme");
});
