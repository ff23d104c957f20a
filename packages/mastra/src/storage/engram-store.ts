import type { Memory, Namespace } from "@engram/core";
import { MastraCompositeStore } from "@mastra/core/storage";
import { defaultResourceNamespace, type ResourceNamespace } from "../resource-namespace.js";
import { EngramMemoryStorage } from "./memory-storage.js";

export interface EngramStoreOptions {
  /** The Engram memory that keeps the threads, messages and working memory. */
  memory: Memory;
  /** The store's id in Mastra; default `"engram"`. */
  id?: string;
  /** Every Mastra thread, message and resource lives under this namespace; default `["mastra"]`. */
  namespace?: Namespace;
  /** A resource's namespace; default `[...namespace, "resources", resourceId]`. */
  resourceNamespace?: ResourceNamespace;
}

/**
 * A Mastra storage on Engram. It implements the `memory` domain (threads, messages, resources
 * with working memory); pass it as `storage` to `new Memory(...)` or to `new Mastra(...)`.
 */
export class EngramStore extends MastraCompositeStore {
  constructor(options: EngramStoreOptions) {
    super({ id: options.id ?? "engram", name: "EngramStore" });
    const root = options.namespace ?? ["mastra"];
    this.stores = {
      memory: new EngramMemoryStorage({
        memory: options.memory,
        root,
        resourceNamespace: options.resourceNamespace ?? defaultResourceNamespace(root),
      }),
    } as MastraCompositeStore["stores"];
  }
}
