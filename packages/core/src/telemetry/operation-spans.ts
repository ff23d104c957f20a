import type { Attributes } from "@opentelemetry/api";
import type { IngestOptions, IngestReport, ThreadAddress } from "../conversation/types.js";
import type { ErasureReport } from "../memory/attached-store.js";
import type { ContextBlock, ContextOptions } from "../memory/context-block.js";
import type {
  RecalledMemory,
  RecallOptions,
  RememberInput,
  RememberResult,
} from "../memory/types.js";
import type { Namespace } from "../namespace/namespace.js";
import { scopeAttributes, scopeDepth, type Tracing } from "./tracing.js";

// The top-level span of each public operation. Inputs come unvalidated, so attributes are read
// defensively: a malformed call still gets its span, and the operation reports the error.

function queryAttributes(tracing: Tracing, options: RecallOptions | ContextOptions): Attributes {
  const attributes: Attributes = {
    ...scopeAttributes(tracing, options ?? {}),
    "engram.recall.mode": options?.mode ?? "hybrid",
  };
  if (tracing.recordContent && typeof options?.query === "string") {
    attributes["engram.query"] = options.query;
  }
  return attributes;
}

/** `remember` inside an `engram.remember` span. */
export function rememberSpan(
  tracing: Tracing,
  backend: string,
  inputs: readonly RememberInput[],
  run: () => Promise<RememberResult[]>,
): Promise<RememberResult[]> {
  const depth = inputs.reduce(
    (deepest, input) => Math.max(deepest, scopeDepth({ namespace: input?.namespace })),
    0,
  );
  const attributes: Attributes = {
    "engram.backend": backend,
    "engram.remember.inputs": inputs.length,
    "engram.namespace.depth": depth,
  };
  return tracing.span("engram.remember", attributes, async (span) => {
    const results = await run();
    span.setAttribute(
      "engram.remember.created",
      results.filter((result) => result.status === "created").length,
    );
    return results;
  });
}

/** `recall` inside an `engram.recall` span (its legs add child spans). */
export function recallSpan(
  tracing: Tracing,
  backend: string,
  options: RecallOptions,
  run: () => Promise<RecalledMemory[]>,
): Promise<RecalledMemory[]> {
  const attributes = { "engram.backend": backend, ...queryAttributes(tracing, options) };
  return tracing.span("engram.recall", attributes, async (span) => {
    const results = await run();
    span.setAttribute("engram.results", results.length);
    return results;
  });
}

/** `context` inside an `engram.context` span. */
export function contextSpan(
  tracing: Tracing,
  backend: string,
  options: ContextOptions,
  run: () => Promise<ContextBlock>,
): Promise<ContextBlock> {
  const attributes = { "engram.backend": backend, ...queryAttributes(tracing, options) };
  return tracing.span("engram.context", attributes, async (span) => {
    const block = await run();
    span.setAttributes({ "engram.results": block.memories.length, "engram.tokens": block.tokens });
    return block;
  });
}

/** `ingest` inside an `engram.ingest` span. */
export function ingestSpan(
  tracing: Tracing,
  backend: string,
  input: ThreadAddress & IngestOptions,
  run: () => Promise<IngestReport>,
): Promise<IngestReport> {
  const attributes = {
    "engram.backend": backend,
    ...scopeAttributes(tracing, { namespace: input?.namespace }),
  };
  return tracing.span("engram.ingest", attributes, async (span) => {
    const report = await run();
    span.setAttributes({
      "engram.ingest.messages": report.messages,
      "engram.ingest.decisions": report.decisions.length,
      "engram.ingest.summarized": report.summarized,
    });
    return report;
  });
}

/** `forgetNamespace` inside an `engram.erase` span. */
export function eraseSpan(
  tracing: Tracing,
  backend: string,
  prefix: Namespace,
  run: () => Promise<ErasureReport>,
): Promise<ErasureReport> {
  const attributes = {
    "engram.backend": backend,
    ...scopeAttributes(tracing, { within: prefix }),
  };
  return tracing.span("engram.erase", attributes, async (span) => {
    const report = await run();
    span.setAttribute("engram.erased.memories", report.memories);
    return report;
  });
}
