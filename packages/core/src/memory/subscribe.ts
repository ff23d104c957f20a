import type { MemoryEvent, SubscribeOptions, Subscription } from "../backends/backend.js";
import { resolveScope, type Scope } from "../namespace/scope.js";
import type { MemoryContext } from "./context.js";

/** Delivers change events (created, updated, deleted) for memories in a scope, in order. */
export async function subscribe(
  context: MemoryContext,
  scope: Scope,
  handler: (event: MemoryEvent) => void | Promise<void>,
  options: SubscribeOptions = {},
): Promise<Subscription> {
  const resolved = resolveScope(scope);
  await context.ready();
  return context.backend.subscribe(resolved, handler, options);
}
