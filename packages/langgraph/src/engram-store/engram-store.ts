import {
  EngramError,
  isId,
  type ListOptions,
  type Memory,
  type MemoryRecord,
  type Namespace,
  type Scope,
  validateNamespace,
} from "@engram/core";
import {
  BaseStore,
  type GetOperation,
  type Item,
  type ListNamespacesOperation,
  type Operation,
  type OperationResults,
  type PutOperation,
  type SearchItem,
  type SearchOperation,
} from "@langchain/langgraph-checkpoint";
import { matchesFilter, pushableFilter, validateFilter } from "./filter.js";
import {
  isIndexed,
  isStoreItem,
  RECORD_FIELDS,
  toItem,
  toRememberInput,
  type ValuePut,
} from "./item.js";
import { matchesConditions, sortNamespaces } from "./namespaces.js";
import {
  type EngramStoreOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
} from "./options.js";

// Core's largest page and largest recall.
const PAGE_SIZE = 1000;
const RECALL_LIMIT = 100;
// Core's largest offset plus its largest limit.
const MAX_RECALLED = 1000;

/**
 * A LangGraph `BaseStore` on `@engram/core`: each item is a memory in the Engram namespace of
 * the same segments, keyed by the item key, so every Engram package sees the same memories.
 */
export class EngramStore extends BaseStore {
  readonly #options: ResolvedStoreOptions;
  #stopped = false;

  /** Builds a store on a given memory, or on a memory it creates from `backend` and `index`. */
  constructor(options: EngramStoreOptions = {}) {
    super();
    this.#options = resolveStoreOptions(options);
  }

  /** The memory behind the store, for `recall`, `forgetNamespace` and the rest of core. */
  get memory(): Memory {
    return this.#options.memory;
  }

  /** Runs gets, searches and namespace listings in order, then applies the puts and deletes. */
  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    if (this.#stopped) throw new EngramError("CLOSED", "This EngramStore is stopped.");
    // Validate every write before any read or write runs, so a rejected batch writes nothing.
    const writes = new Map<string, PutOperation>();
    for (const operation of operations) {
      if ("value" in operation) {
        validateNamespace(operation.namespace);
        if (operation.value !== null) {
          toRememberInput(operation as ValuePut, this.#options.fields, this.#options.kind);
        }
        writes.set(JSON.stringify([operation.namespace, operation.key]), operation);
      } else if ("namespacePrefix" in operation) {
        validateFilter(operation.filter);
      }
    }
    const results: unknown[] = [];
    for (const operation of operations) {
      if ("value" in operation) results.push(undefined);
      else if ("namespacePrefix" in operation) results.push(await this.#search(operation));
      else if ("namespace" in operation) results.push(await this.#get(operation));
      else results.push(await this.#listNamespaces(operation));
    }
    await this.#write([...writes.values()]);
    return results as OperationResults<Op>;
  }

  /** Nothing to start: the memory connects on first use. */
  override start(): void {}

  /** Closes the memory if the store created it; a given memory stays open. */
  override async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#options.ownsMemory) await this.#options.memory.close();
  }

  async #find(namespace: string[], key: string): Promise<MemoryRecord | undefined> {
    const { memory } = this.#options;
    // Items are remembered under their key, so core finds them (and keyed memories written
    // through core) by namespace and key.
    const byKey = await memory.get({ namespace: namespace as Namespace, key });
    if (byKey) return byKey;
    // A memory written through core without a key answers to its id.
    if (!isId(key)) return undefined;
    const byId = await memory.get(key);
    const sameNamespace =
      byId !== undefined &&
      byId.namespace.length === namespace.length &&
      byId.namespace.every((segment, index) => segment === namespace[index]);
    return sameNamespace && !isStoreItem(byId) ? byId : undefined;
  }

  async #get(operation: GetOperation): Promise<Item | null> {
    const found = await this.#find(operation.namespace, operation.key);
    return found ? toItem(found) : null;
  }

  async #write(operations: PutOperation[]): Promise<void> {
    const { memory, fields, kind } = this.#options;
    const puts = operations.filter((operation) => operation.value !== null);
    if (puts.length > 0) {
      await memory.remember(
        puts.map((operation) => toRememberInput(operation as ValuePut, fields, kind)),
      );
    }
    const deletes = operations.filter((operation) => operation.value === null);
    const ids: string[] = [];
    for (const operation of deletes) {
      const found = await this.#find(operation.namespace, operation.key);
      if (found) ids.push(found.id);
    }
    if (ids.length > 0) await memory.forget(ids);
  }

  /** The core scope of a namespace prefix: its subtree, or the configured roots for `[]`. */
  #scope(prefix: readonly string[]): Scope {
    if (prefix.length > 0) return { within: prefix as Namespace };
    if (this.#options.roots.length === 0) {
      throw new EngramError(
        "INVALID_ARGUMENT",
        "An empty namespace prefix needs the store's `roots` option: Engram reads within namespaces.",
        { details: { issues: [{ path: "namespacePrefix", message: "empty without roots" }] } },
      );
    }
    return { within: [...this.#options.roots] };
  }

  /** Every memory in a scope, page by page. */
  async *#all(options: Omit<ListOptions, "limit" | "cursor">): AsyncGenerator<MemoryRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.#options.memory.list({ ...options, limit: PAGE_SIZE, cursor });
      yield* page.memories;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  async #search(operation: SearchOperation): Promise<SearchItem[]> {
    const { namespacePrefix, filter, query } = operation;
    const limit = operation.limit ?? 10;
    const offset = operation.offset ?? 0;
    const scope = this.#scope(namespacePrefix);
    const metadata = pushableFilter(filter, RECORD_FIELDS);
    if (query !== undefined && query.trim().length > 0) {
      // Core ranks; items put with nothing to embed never take part, as in LangGraph's SQL stores.
      const ask = async (page: { limit: number; offset?: number }) => {
        const recalled = await this.#options.memory.recall({
          ...scope,
          ...(metadata ? { metadata } : {}),
          query,
          mode: "semantic",
          recency: false,
          ...page,
        });
        const items = recalled
          .filter(isIndexed)
          .map((memory) => ({ ...toItem(memory), score: memory.score }))
          .filter((item) => matchesFilter(item.value, filter));
        return { items, complete: items.length === recalled.length };
      };
      // When core applies the whole filter, it is asked for exactly the page, so only the page
      // counts as used. Otherwise (or when the page held an item that takes no part), core's
      // largest recall is filtered and paged here.
      const whole =
        Object.keys(filter ?? {}).length === Object.keys(metadata ?? {}).length &&
        limit <= RECALL_LIMIT &&
        offset + limit <= MAX_RECALLED;
      if (whole) {
        const page = await ask({ limit, offset });
        if (page.complete) return page.items;
      }
      return (await ask({ limit: RECALL_LIMIT })).items.slice(offset, offset + limit);
    }
    const items: Item[] = [];
    for await (const memory of this.#all({ ...scope, ...(metadata ? { metadata } : {}) })) {
      const item = toItem(memory);
      if (matchesFilter(item.value, filter)) items.push(item);
    }
    // Newest change first, as LangGraph's SQL stores order a search without a query.
    items.sort(
      (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a.key.localeCompare(b.key),
    );
    return items.slice(offset, offset + limit);
  }

  async #listNamespaces(operation: ListNamespacesOperation): Promise<string[][]> {
    const conditions = operation.matchConditions ?? [];
    const prefix = conditions.find((condition) => condition.matchType === "prefix")?.path ?? [];
    const wildcard = prefix.indexOf("*");
    const fixed = wildcard === -1 ? prefix : prefix.slice(0, wildcard);
    const seen = new Map<string, string[]>();
    for await (const memory of this.#all(this.#scope(fixed))) {
      let namespace = [...memory.namespace];
      if (!matchesConditions(namespace, conditions)) continue;
      if (operation.maxDepth !== undefined) namespace = namespace.slice(0, operation.maxDepth);
      seen.set(namespace.join("\u0000"), namespace);
    }
    const offset = operation.offset ?? 0;
    return sortNamespaces([...seen.values()]).slice(offset, offset + (operation.limit ?? 100));
  }
}
