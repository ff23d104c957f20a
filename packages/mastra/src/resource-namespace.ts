import type { Namespace } from "@engram/core";

/** Where one Mastra resource (usually a user) lives in Engram. */
export type ResourceNamespace = (resourceId: string) => Namespace;

const SEGMENT = /^[A-Za-z0-9_\-.@+=:][A-Za-z0-9_\-.@+=~:]{0,127}$/;

/**
 * One segment for any resource id: the id itself when it is a valid namespace segment (and
 * does not start with `~`), else `~` and its base64url form, so two ids never share a segment.
 */
export function resourceSegment(resourceId: string): string {
  if (SEGMENT.test(resourceId) && !resourceId.includes("..")) return resourceId;
  return `~${Buffer.from(resourceId, "utf8").toString("base64url")}`.slice(0, 128);
}

/** The default mapping: `[...root, "resources", <resource id>]`. */
export function defaultResourceNamespace(root: Namespace): ResourceNamespace {
  return (resourceId) => [...root, "resources", resourceSegment(resourceId)];
}
