import {
  EngramError,
  type JsonObject,
  type MemoryRecord,
  type Namespace,
  type RememberInput,
} from "@engram/core";
import type { Item, PutOperation } from "@langchain/langgraph-checkpoint";
import { indexText } from "./index-text.js";

/** Metadata field holding an item's key, so `get` is a metadata lookup in core. */
export const KEY_FIELD = "langgraph:key";
/** Metadata field that is `false` for items put with nothing to embed. */
export const INDEXED_FIELD = "langgraph:indexed";
/** Value fields a memory not written by the store gets from the record itself. */
export const RECORD_FIELDS: ReadonlySet<string> = new Set(["content", "kind"]);

// Core's default content limit; an item's text beyond it would add little to its vector.
const MAX_CONTENT_LENGTH = 32_000;

/** True when the memory was written by an `EngramStore`. */
export function isStoreItem(memory: MemoryRecord): boolean {
  return typeof memory.metadata[KEY_FIELD] === "string";
}

/** True when the memory takes part in semantic search. */
export function isIndexed(memory: MemoryRecord): boolean {
  return memory.metadata[INDEXED_FIELD] !== false;
}

/**
 * A memory as a LangGraph item. A store item gets its value back exactly; any other memory
 * shows its metadata with its `content` and `kind`, keyed by its own key or id.
 */
export function toItem(memory: MemoryRecord): Item {
  const { [KEY_FIELD]: key, [INDEXED_FIELD]: _, ...value } = memory.metadata;
  return {
    namespace: [...memory.namespace],
    key: typeof key === "string" ? key : (memory.key ?? memory.id),
    value: isStoreItem(memory)
      ? value
      : { ...memory.metadata, content: memory.content, kind: memory.kind },
    createdAt: memory.createdAt,
    updatedAt: memory.updatedAt,
  };
}

function invalid(message: string, path: string[]): EngramError {
  return new EngramError("INVALID_ARGUMENT", message, {
    details: { issues: [{ path: path.join("."), message }] },
  });
}

/** A put that stores a value rather than deleting. */
export type ValuePut = PutOperation & { value: Record<string, unknown> };

/**
 * The memory that stores a put: the value (through JSON, as LangGraph's SQL stores keep it)
 * as metadata, and as content the text to embed, or the key when there is none.
 */
export function toRememberInput(
  operation: ValuePut,
  fields: readonly string[],
  kind: string | undefined,
): RememberInput {
  const { namespace, key, value, index } = operation;
  if (typeof key !== "string" || key.length === 0)
    throw invalid("An item key is a non-empty string.", ["key"]);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("An item value is a JSON object.", ["value"]);
  }
  if (index !== undefined && index !== false && !Array.isArray(index)) {
    throw invalid("index is false or a list of paths.", ["index"]);
  }
  let json: JsonObject;
  try {
    json = JSON.parse(JSON.stringify(value)) as JsonObject;
  } catch (cause) {
    throw new EngramError("INVALID_ARGUMENT", "An item value must be JSON-serializable.", {
      cause,
      details: { issues: [{ path: "value", message: "not JSON" }] },
    });
  }
  for (const reserved of [KEY_FIELD, INDEXED_FIELD]) {
    if (reserved in json)
      throw invalid(`"${reserved}" is reserved by EngramStore.`, ["value", reserved]);
  }
  const text = index === false ? "" : indexText(json, index ?? fields);
  const indexed = text.trim().length > 0;
  return {
    namespace: namespace as Namespace,
    key,
    content: indexed ? text.slice(0, MAX_CONTENT_LENGTH) : key,
    metadata: { ...json, [KEY_FIELD]: key, ...(indexed ? {} : { [INDEXED_FIELD]: false }) },
    ...(kind === undefined ? {} : { kind }),
  };
}
