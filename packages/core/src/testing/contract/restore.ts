import { describe, expect, it } from "vitest";
import { type ContractTarget, everything, expectCode, setUp } from "./harness.js";

export function restoreCases(target: ContractTarget): void {
  describe("restore", () => {
    it("round-trips memories and their history exactly, and twice changes nothing", async () => {
      const source = await setUp(target);
      const { id } = await source.memory.remember({
        namespace: ["t", "u"],
        content: "Uses MySQL",
        key: "db",
        tags: ["infra"],
        metadata: { source: "chat" },
        pinned: true,
      });
      source.clock.advance(100);
      await source.memory.update(id, { content: "Uses PostgreSQL" });
      await source.memory.recall({ namespace: ["t", "u"], query: "PostgreSQL" });
      const original = (await source.memory.get(id))!;
      const history = await source.memory.history(id);
      // What an export writes: JSON lines.
      const line = JSON.parse(JSON.stringify({ memory: original, history }));

      const target2 = await setUp(target);
      expect(await target2.memory.restore([line])).toEqual({ restored: 1, skipped: 0 });
      expect(await target2.memory.get(id)).toEqual(original);
      expect(await target2.memory.history(id)).toEqual(history);
      expect(await target2.memory.restore([line])).toEqual({ restored: 0, skipped: 1 });
      expect(await everything(target2.memory, ["t"])).toEqual(["Uses PostgreSQL"]);
      const again = await target2.memory.remember({
        namespace: ["t", "u"],
        key: "db",
        content: "Uses SQLite",
      });
      expect(again).toMatchObject({ status: "updated", id });
    });

    it("rejects a malformed item and writes nothing", async () => {
      const { memory } = await setUp(target);
      const good = {
        memory: {
          id: "0190a0a0-0000-7000-8000-000000000001",
          namespace: ["t"],
          content: "fine",
          kind: "fact",
          metadata: {},
          tags: [],
          importance: 0.5,
          pinned: false,
          createdAt: "2099-01-01T00:00:00.000Z",
          updatedAt: "2099-01-01T00:00:00.000Z",
          accessCount: 0,
        },
      };
      const bad = { memory: { ...good.memory, id: "not-an-id" } };
      await expectCode(memory.restore([good, bad]), "INVALID_ARGUMENT");
      await expectCode(
        memory.restore([{ memory: { ...good.memory, namespace: ["t", ".."] } }]),
        "INVALID_NAMESPACE",
      );
      expect(await everything(memory, ["t"])).toEqual([]);
      expect(await memory.restore([good])).toEqual({ restored: 1, skipped: 0 });
    });
  });
}
