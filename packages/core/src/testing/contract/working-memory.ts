import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EngramError } from "../../errors/engram-error.js";
import { type ContractTarget, expectCode, START, setUp } from "./harness.js";

const NS = ["t", "users", "alice"];

export function workingMemoryCases(target: ContractTarget): void {
  describe("working memory", () => {
    it("gets, replaces, patches and deletes a namespace's document, versioned", async () => {
      const { memory, clock } = await setUp(target);
      expect(await memory.workingMemory.get({ namespace: NS })).toBeUndefined();
      const first = await memory.workingMemory.replace({
        namespace: NS,
        content: { name: "Alice", likes: ["tea"] },
      });
      expect(first).toEqual({
        content: { name: "Alice", likes: ["tea"] },
        version: 1,
        updatedAt: new Date(START),
      });
      clock.advance(3);
      const patched = await memory.workingMemory.patch({
        namespace: NS,
        patch: { likes: ["tea", "jazz"], city: "Lyon", name: null },
      });
      expect(patched).toEqual({
        content: { likes: ["tea", "jazz"], city: "Lyon" },
        version: 2,
        updatedAt: new Date(START + 3),
      });
      expect(await memory.workingMemory.get({ namespace: NS })).toEqual(patched);
      // Text documents (a markdown template) are replaced whole, never patched.
      const text = await memory.workingMemory.replace({
        namespace: NS,
        content: "# Alice\n- likes tea",
      });
      expect(text).toMatchObject({ content: "# Alice\n- likes tea", version: 3 });
      await expectCode(
        memory.workingMemory.patch({ namespace: NS, patch: { a: 1 } }),
        "INVALID_ARGUMENT",
      );
      expect(await memory.workingMemory.get({ namespace: ["t", "users"] })).toBeUndefined();
      expect(await memory.workingMemory.delete({ namespace: NS })).toBe(true);
      expect(await memory.workingMemory.delete({ namespace: NS })).toBe(false);
      expect(await memory.workingMemory.get({ namespace: NS })).toBeUndefined();
      // A patch of a missing document starts from an empty object.
      expect(
        await memory.workingMemory.patch({ namespace: NS, patch: { a: { b: 1 } } }),
      ).toMatchObject({
        content: { a: { b: 1 } },
        version: 1,
      });
    });

    it("writes with a version only over that version: CONFLICT on a stale one", async () => {
      const { memory } = await setUp(target);
      await expectCode(
        memory.workingMemory.replace({ namespace: NS, content: { a: 1 }, version: 3 }),
        "CONFLICT",
      );
      await memory.workingMemory.replace({ namespace: NS, content: { a: 1 }, version: 0 });
      const error = await expectCode(
        memory.workingMemory.replace({ namespace: NS, content: { a: 2 }, version: 0 }),
        "CONFLICT",
      );
      expect(error.details).toEqual({ expected: 0, actual: 1 });
      await memory.workingMemory.replace({ namespace: NS, content: { a: 2 }, version: 1 });
      await expectCode(
        memory.workingMemory.patch({ namespace: NS, patch: { b: 1 }, version: 1 }),
        "CONFLICT",
      );
      expect(
        await memory.workingMemory.patch({ namespace: NS, patch: { b: 1 }, version: 2 }),
      ).toMatchObject({
        content: { a: 2, b: 1 },
        version: 3,
      });
      expect(await memory.workingMemory.get({ namespace: NS })).toMatchObject({
        content: { a: 2, b: 1 },
      });
    });

    it("loses no update when two memories over one store race", async () => {
      const { memory, reopen } = await setUp(target);
      const other = await reopen();
      // Patches without a version: every field lands, whoever wins each round.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? memory : other).workingMemory.patch({
            namespace: NS,
            patch: { [`k${i}`]: i },
          }),
        ),
      );
      const merged = await memory.workingMemory.get({ namespace: NS });
      expect(Object.keys(merged!.content).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `k${i}`).sort(),
      );
      expect(merged!.version).toBe(20);

      // Replaces with the version both read: exactly one wins, the other gets CONFLICT.
      for (let round = 0; round < 5; round++) {
        const { version } = (await memory.workingMemory.get({ namespace: NS }))!;
        const results = await Promise.allSettled([
          memory.workingMemory.replace({
            namespace: NS,
            content: { by: "memory", round },
            version,
          }),
          other.workingMemory.replace({ namespace: NS, content: { by: "other", round }, version }),
        ]);
        const won = results.filter((result) => result.status === "fulfilled");
        const lost = results.filter((result) => result.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const reason = (lost[0] as PromiseRejectedResult).reason;
        expect(EngramError.isInstance(reason) && reason.code).toBe("CONFLICT");
        const stored = await other.workingMemory.get({ namespace: NS });
        expect(stored).toMatchObject({
          version: version + 1,
          content: (won[0] as PromiseFulfilledResult<{ content: unknown }>).value.content,
        });
      }
      // Versioned patches racing: one wins per version, none is applied twice or lost silently.
      const { version } = (await memory.workingMemory.get({ namespace: NS }))!;
      const patches = await Promise.allSettled(
        [memory, other, memory, other].map((each, i) =>
          each.workingMemory.patch({ namespace: NS, patch: { [`p${i}`]: true }, version }),
        ),
      );
      const applied = patches.flatMap((result, i) =>
        result.status === "fulfilled" ? [`p${i}`] : [],
      );
      expect(applied).toHaveLength(1);
      const final = await memory.workingMemory.get({ namespace: NS });
      expect(Object.keys(final!.content).filter((key) => key.startsWith("p"))).toEqual(applied);
      expect(final!.version).toBe(version + 1);
    });

    it("keeps a thread's own document, which needs its thread and goes with it", async () => {
      const { memory } = await setUp(target);
      const address = { namespace: NS, threadId: "chat" };
      await expectCode(
        memory.workingMemory.replace({ ...address, content: { a: 1 } }),
        "NOT_FOUND",
      );
      await expectCode(memory.workingMemory.patch({ ...address, patch: { a: 1 } }), "NOT_FOUND");
      await memory.threads.create({ namespace: NS, id: "chat" });
      await memory.workingMemory.replace({ namespace: NS, content: { scope: "namespace" } });
      const own = await memory.workingMemory.patch({ ...address, patch: { scope: "thread" } });
      expect(own).toMatchObject({ content: { scope: "thread" }, version: 1 });
      expect(await memory.workingMemory.get({ namespace: NS })).toMatchObject({
        content: { scope: "namespace" },
      });
      await memory.messages.append({ ...address, messages: [{ role: "user", content: "hi" }] });
      expect(await memory.workingMemory.get(address)).toMatchObject({ version: 1 });
      await memory.threads.delete(address);
      expect(await memory.workingMemory.get(address)).toBeUndefined();
      await memory.threads.create({ namespace: NS, id: "chat" });
      expect(await memory.workingMemory.get(address)).toBeUndefined();
      expect(await memory.workingMemory.get({ namespace: NS })).toMatchObject({
        content: { scope: "namespace" },
      });
      await memory.workingMemory.replace({ ...address, content: "thread notes" });
      expect(await memory.workingMemory.delete(address)).toBe(true);
      expect(await memory.workingMemory.get(address)).toBeUndefined();
    });

    it("validates against a zod schema or a JSON Schema, writing nothing when it fails", async () => {
      const { memory } = await setUp(target);
      const profile = z.object({ name: z.string(), age: z.number().int().min(0).optional() });
      await memory.workingMemory.replace({
        namespace: NS,
        content: { name: "Alice" },
        schema: profile,
      });
      const zodError = await expectCode(
        memory.workingMemory.patch({ namespace: NS, patch: { age: -1 }, schema: profile }),
        "INVALID_ARGUMENT",
      );
      expect(JSON.stringify(zodError.details)).toContain("age");
      await expectCode(
        memory.workingMemory.replace({
          namespace: NS,
          content: { nickname: "Al" },
          schema: profile,
        }),
        "INVALID_ARGUMENT",
      );
      const jsonSchema = {
        type: "object",
        properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
        required: ["name"],
        additionalProperties: false,
      };
      await memory.workingMemory.patch({ namespace: NS, patch: { age: 41 }, schema: jsonSchema });
      await expectCode(
        memory.workingMemory.patch({ namespace: NS, patch: { name: null }, schema: jsonSchema }),
        "INVALID_ARGUMENT",
      );
      await expectCode(
        memory.workingMemory.patch({ namespace: NS, patch: { extra: 1 }, schema: jsonSchema }),
        "INVALID_ARGUMENT",
      );
      await expectCode(
        memory.workingMemory.replace({
          namespace: NS,
          content: "text",
          schema: { type: "object" },
        }),
        "INVALID_ARGUMENT",
      );
      await expectCode(
        memory.workingMemory.replace({ namespace: NS, content: { name: "x" }, schema: 42 }),
        "INVALID_ARGUMENT",
      );
      expect(await memory.workingMemory.get({ namespace: NS })).toMatchObject({
        content: { name: "Alice", age: 41 },
        version: 2,
      });
    });

    it("rejects bad input and writes nothing", async () => {
      const { memory } = await setUp(target);
      await memory.workingMemory.replace({ namespace: NS, content: { kept: true } });
      const bad: [Promise<unknown>, string][] = [
        [memory.workingMemory.replace({ namespace: ["t", ""], content: {} }), "INVALID_NAMESPACE"],
        [
          memory.workingMemory.replace({ namespace: NS, content: [1, 2] as never }),
          "INVALID_ARGUMENT",
        ],
        [
          memory.workingMemory.replace({ namespace: NS, content: { f: () => 1 } as never }),
          "INVALID_ARGUMENT",
        ],
        [
          memory.workingMemory.replace({ namespace: NS, content: "x".repeat(300_000) }),
          "INVALID_ARGUMENT",
        ],
        [
          memory.workingMemory.replace({ namespace: NS, content: {}, version: -1 }),
          "INVALID_ARGUMENT",
        ],
        [memory.workingMemory.patch({ namespace: NS, patch: "x" as never }), "INVALID_ARGUMENT"],
        [
          memory.workingMemory.patch({ namespace: NS, patch: { big: "x".repeat(300_000) } }),
          "INVALID_ARGUMENT",
        ],
        [memory.workingMemory.get({ namespace: NS, threadId: "" }), "INVALID_ARGUMENT"],
      ];
      for (const [promise, code] of bad) await expectCode(promise, code);
      expect(await memory.workingMemory.get({ namespace: NS })).toMatchObject({
        content: { kept: true },
        version: 1,
      });
    });
  });
}
