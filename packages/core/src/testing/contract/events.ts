import { describe, expect, it } from "vitest";
import type { MemoryEvent } from "../../backends/backend.js";
import { type ContractTarget, setUp } from "./harness.js";

/** Collects events until `count` arrived (or fails after a few seconds). */
function collector() {
  const events: MemoryEvent[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  return {
    events,
    handler(event: MemoryEvent) {
      events.push(event);
      if (waiter && events.length >= waiter.count) waiter.resolve();
    },
    async waitFor(count: number): Promise<MemoryEvent[]> {
      if (events.length < count) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`got ${events.length} of ${count} events`)),
            5000,
          );
          waiter = {
            count,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          };
        });
      }
      return events.slice(0, count);
    },
  };
}

export function eventCases(target: ContractTarget): void {
  describe("events", () => {
    it("delivers created, updated and deleted events for its scope only, in order", async () => {
      const { memory } = await setUp(target);
      const seen = collector();
      const subscription = await memory.subscribe({ within: ["t", "crew"] }, seen.handler);
      const { id } = await memory.remember({
        namespace: ["t", "crew"],
        content: "finding",
        kind: "episode",
      });
      await memory.remember({ namespace: ["t", "elsewhere"], content: "not for us" });
      await memory.update(id, { content: "finding, revised" });
      await memory.remember({ namespace: ["t", "crew", "writer"], content: "draft" });
      await memory.forget(id);
      const events = await seen.waitFor(4);
      await subscription.close();
      expect(events.map((e) => [e.type, e.namespace.join("/")])).toEqual([
        ["created", "t/crew"],
        ["updated", "t/crew"],
        ["created", "t/crew/writer"],
        ["deleted", "t/crew"],
      ]);
      expect(events[0]).toMatchObject({ memoryId: id, kind: "episode" });
      expect(new Set(events.map((e) => e.id)).size).toBe(4);
    });

    it("resumes after a given event with nothing lost and nothing twice", async () => {
      const { memory } = await setUp(target);
      const first = collector();
      const subscription = await memory.subscribe({ namespace: ["t"] }, first.handler);
      await memory.remember([1, 2, 3].map((i) => ({ namespace: ["t"], content: `before ${i}` })));
      const [, second] = await first.waitFor(3);
      await subscription.close();
      await memory.remember([4, 5].map((i) => ({ namespace: ["t"], content: `while away ${i}` })));

      const resumed = collector();
      const again = await memory.subscribe({ namespace: ["t"] }, resumed.handler, {
        since: second!.id,
      });
      await memory.remember({ namespace: ["t"], content: "live 6" });
      const events = await resumed.waitFor(4);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await again.close();
      const contents = await Promise.all(
        events.map(async (e) => (await memory.get(e.memoryId))?.content),
      );
      expect(contents).toEqual(["before 3", "while away 4", "while away 5", "live 6"]);
      expect(resumed.events).toHaveLength(4);
    });

    it("reports a deleted event for every memory a namespace erase removes", async () => {
      const { memory } = await setUp(target);
      await memory.remember([
        { namespace: ["t", "u", "alice"], content: "a1" },
        { namespace: ["t", "u", "alice", "agents", "x"], content: "a2" },
        { namespace: ["t", "u", "bob"], content: "b1" },
      ]);
      const seen = collector();
      const subscription = await memory.subscribe({ within: ["t"] }, seen.handler);
      await memory.forgetNamespace(["t", "u", "alice"]);
      const events = await seen.waitFor(2);
      await subscription.close();
      expect(events.map((e) => e.type)).toEqual(["deleted", "deleted"]);
      expect(events.map((e) => e.namespace.join("/")).sort()).toEqual([
        "t/u/alice",
        "t/u/alice/agents/x",
      ]);
    });

    it("keeps delivering when a handler throws", async () => {
      const { memory } = await setUp(target);
      const errors: unknown[] = [];
      const seen = collector();
      const subscription = await memory.subscribe(
        { namespace: ["t"] },
        (event) => {
          seen.handler(event);
          if (seen.events.length === 1) throw new Error("handler bug");
        },
        { onError: (error) => errors.push(error) },
      );
      await memory.remember({ namespace: ["t"], content: "one" });
      await memory.remember({ namespace: ["t"], content: "two" });
      await seen.waitFor(2);
      await subscription.close();
      expect(errors).toHaveLength(1);
    });
  });
}
