import { EngramError } from "../errors/engram-error.js";
import { type Namespace, validateNamespace } from "./namespace.js";

/**
 * A namespace whose segments may be placeholders filled per call: `["users", "{user_id}"]`.
 * A placeholder is a whole segment; `{` and `}` are never valid in a namespace, so a template
 * without placeholders is an ordinary namespace.
 */
export type NamespaceTemplate = readonly string[];

/** Where placeholder values come from, in order of precedence, e.g. a run's context. */
export interface TemplateSource {
  /** How error messages name this source, e.g. `"the run's context"`. */
  label: string;
  values: Readonly<Record<string, unknown>> | undefined;
}

/** A checked template, ready to fill. */
export interface CompiledNamespaceTemplate {
  readonly template: NamespaceTemplate;
  /** The placeholder names, in segment order, each once. */
  readonly variables: readonly string[];
  /**
   * The namespace with every placeholder replaced by its value from the first source that has
   * it. Throws `INVALID_NAMESPACE` when a value is missing, is not a string or number, is not a
   * valid segment, or differs between two sources: never a partial or shared namespace.
   */
  fill(sources: readonly TemplateSource[]): Namespace;
}

const PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_-]{0,63})\}$/;

function templateError(message: string, template: unknown, extra: Record<string, unknown> = {}) {
  return new EngramError("INVALID_NAMESPACE", message, { details: { template, ...extra } });
}

/**
 * Checks a namespace template once, so bad configuration fails at startup rather than on the
 * first call. Each placeholder is a segment of its own, so distinct values always give distinct
 * namespaces (`"u-{a}{b}"` would let two users collide).
 */
export function createNamespaceTemplate(template: NamespaceTemplate): CompiledNamespaceTemplate {
  if (!Array.isArray(template) || template.some((segment) => typeof segment !== "string")) {
    throw templateError(
      'A namespace template is an array of strings, e.g. ["users", "{user_id}"].',
      template,
    );
  }
  const segments = [...template] as string[];
  const variables: string[] = [];
  // Literal segments are checked with a stand-in for each placeholder, so the template's shape
  // (depth, characters) is validated before any call.
  const probe = segments.map((segment, index) => {
    const match = PLACEHOLDER.exec(segment);
    if (match) {
      if (!variables.includes(match[1]!)) variables.push(match[1]!);
      return "x";
    }
    if (segment.includes("{") || segment.includes("}")) {
      throw templateError(
        `Segment ${index} ("${segment}") mixes text and a placeholder; a placeholder such as "{user_id}" must be a whole segment.`,
        template,
        { segment: index },
      );
    }
    return segment;
  });
  validateNamespace(probe);
  const frozen = Object.freeze(segments);

  return {
    template: frozen,
    variables: Object.freeze(variables),
    fill(sources) {
      const missing: string[] = [];
      const values = new Map<string, string>();
      for (const name of variables) {
        let found: { value: string; label: string } | undefined;
        for (const source of sources) {
          const raw = source.values?.[name];
          if (raw === undefined || raw === null || raw === "") continue;
          if (typeof raw !== "string" && !(typeof raw === "number" && Number.isFinite(raw))) {
            throw templateError(
              `"${name}" in ${source.label} must be a string or a number to name a namespace.`,
              frozen,
              { variable: name },
            );
          }
          const value = String(raw);
          if (found === undefined) found = { value, label: source.label };
          else if (found.value !== value) {
            throw templateError(
              `"${name}" is "${found.value}" in ${found.label} but "${value}" in ${source.label}; give one value.`,
              frozen,
              { variable: name },
            );
          }
        }
        if (found === undefined) missing.push(name);
        else values.set(name, found.value);
      }
      if (missing.length > 0) {
        const where = sources.map((source) => source.label).join(" or ");
        const names = missing.map((name) => `"${name}"`).join(", ");
        throw templateError(
          `The memory namespace ${JSON.stringify(frozen)} needs ${names}${where ? `: pass ${missing.length > 1 ? "them" : "it"} in ${where}` : ""}.`,
          frozen,
          { missing },
        );
      }
      return validateNamespace(
        segments.map((segment) => {
          const match = PLACEHOLDER.exec(segment);
          return match ? values.get(match[1]!)! : segment;
        }),
      );
    },
  };
}
