import type { JsonObject } from "@engram/core";
import type { StorageResourceType } from "@mastra/core/storage";
import { toJson } from "./messages.js";
import type { StorageContext } from "./storage-context.js";

/** A resource as kept in its namespace's working memory. */
interface ResourceDocument {
  workingMemory?: string;
  metadata?: Record<string, unknown>;
  createdAt: string;
}

/** Mastra's `getResourceById`: the resource's working memory document, or null. */
export async function getResource(
  context: StorageContext,
  resourceId: string,
): Promise<StorageResourceType | null> {
  const document = await context.memory.workingMemory.get({
    namespace: context.resourceNamespace(resourceId),
  });
  if (!document || typeof document.content !== "object") return null;
  const content = document.content as unknown as ResourceDocument;
  return {
    id: resourceId,
    ...(typeof content.workingMemory === "string" ? { workingMemory: content.workingMemory } : {}),
    metadata: content.metadata ?? {},
    createdAt: new Date(content.createdAt),
    updatedAt: document.updatedAt,
  };
}

/** Mastra's `saveResource`: replaces the resource's working memory document. */
export async function saveResource(
  context: StorageContext,
  resource: StorageResourceType,
): Promise<void> {
  const content: ResourceDocument = {
    ...(resource.workingMemory === undefined ? {} : { workingMemory: resource.workingMemory }),
    metadata: resource.metadata ?? {},
    createdAt: (resource.createdAt ?? new Date()).toISOString(),
  };
  await context.memory.workingMemory.replace({
    namespace: context.resourceNamespace(resource.id),
    content: toJson(content) as unknown as JsonObject,
  });
}

/** Mastra's `updateResource`: merges metadata, keeps what is not given. */
export async function updateResource(
  context: StorageContext,
  {
    resourceId,
    workingMemory,
    metadata,
  }: { resourceId: string; workingMemory?: string; metadata?: Record<string, unknown> },
): Promise<StorageResourceType> {
  const existing = await getResource(context, resourceId);
  const resource: StorageResourceType = {
    id: resourceId,
    ...((workingMemory ?? existing?.workingMemory) === undefined
      ? {}
      : { workingMemory: workingMemory ?? existing?.workingMemory }),
    metadata: { ...existing?.metadata, ...metadata },
    createdAt: existing?.createdAt ?? new Date(),
    updatedAt: new Date(),
  };
  await saveResource(context, resource);
  return (await getResource(context, resourceId)) ?? resource;
}
