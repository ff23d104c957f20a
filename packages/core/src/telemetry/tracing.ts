import {
  type Attributes,
  INVALID_SPAN_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { Namespace } from "../namespace/namespace.js";
import type { Scope } from "../namespace/scope.js";

/** How core reports spans through `@opentelemetry/api`; a no-op unless a provider is registered. */
export interface TelemetryOptions {
  /** The tracer to use. Defaults to the global provider's `@engram/core` tracer. */
  tracer?: Tracer;
  /**
   * Also record queries and namespace values (`engram.query`, `engram.namespace`). Off by
   * default: spans carry counts, modes and depths, never what users wrote.
   */
  recordContent?: boolean;
}

/** What operations use to open spans. */
export interface Tracing {
  /** True when the user opted in to queries and namespaces in spans. */
  readonly recordContent: boolean;
  /** Runs `work` inside an active span, ending it and recording a thrown error. */
  span<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T>;
}

export const TRACER_NAME = "@engram/core";

/** A tracing handle; `false` turns spans off entirely. */
export function createTracing(options: TelemetryOptions | false = {}): Tracing {
  if (options === false) {
    const none = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    return { recordContent: false, span: (_name, _attributes, work) => work(none) };
  }
  // Looked up per span, so a provider registered after createMemory still receives them.
  const tracer = (): Tracer => options.tracer ?? trace.getTracer(TRACER_NAME);
  return {
    recordContent: options.recordContent === true,
    span(name, attributes, work) {
      return tracer().startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await work(span);
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}

function namespacesOf(value: unknown): Namespace[] {
  if (!Array.isArray(value)) return [];
  if (value.length > 0 && value.every((item) => Array.isArray(item))) return value as Namespace[];
  return [value as Namespace];
}

/** The deepest namespace a scope names (0 when none), never the names themselves. */
export function scopeDepth(scope: Scope): number {
  const all = [...namespacesOf(scope.namespace), ...namespacesOf(scope.within)];
  return all.reduce((deepest, ns) => Math.max(deepest, ns.length), 0);
}

/** Scope attributes: its depth, plus the namespaces themselves when the user opted in. */
export function scopeAttributes(tracing: Tracing, scope: Scope): Attributes {
  const attributes: Attributes = { "engram.namespace.depth": scopeDepth(scope) };
  if (tracing.recordContent) {
    const all = [...namespacesOf(scope.namespace), ...namespacesOf(scope.within)];
    attributes["engram.namespace"] = all.map((ns) => ns.join("/"));
  }
  return attributes;
}
