import type { CompiledNamespaceTemplate, Namespace, TemplateSource } from "@engram/core";

/** What a LangChain run carries that can name a namespace. */
export interface RunValues {
  /** The agent's runtime context (`invoke(input, { context })`). */
  context?: unknown;
  /** `config.configurable` (`invoke(input, { configurable })`). */
  configurable?: unknown;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Fills a namespace template from a run: the runtime context first, then `config.configurable`.
 * A missing value throws `INVALID_NAMESPACE`; there is no default namespace to fall back to.
 */
export function runNamespace(
  template: CompiledNamespaceTemplate,
  run: RunValues | undefined,
): Namespace {
  const sources: TemplateSource[] = [
    { label: "the run's context", values: asRecord(run?.context) },
    { label: "config.configurable", values: asRecord(run?.configurable) },
  ];
  return template.fill(sources);
}
