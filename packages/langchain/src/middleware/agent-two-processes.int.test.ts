import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createMemory, type Memory, redisBackend, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { RECALL_MESSAGE_ID } from "./recall-message.js";

const run = promisify(execFile);
const fixture = join(import.meta.dirname, "../../test/fixtures/agent-turn.ts");

interface TurnOutput {
  answer: string;
  modelInputs: { type: string; id: string | undefined; text: string }[][];
}

async function turn(args: Record<string, unknown>): Promise<TurnOutput> {
  const { stdout } = await run(process.execPath, [fixture, JSON.stringify(args)], {
    cwd: join(import.meta.dirname, "../.."),
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as TurnOutput;
}

const directory = mkdtempSync(join(tmpdir(), "engram-langchain-turns-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const backends = [
  {
    name: "SQLite",
    args: () => ({ backend: "sqlite", path: join(directory, `${randomUUID()}.db`) }),
    open: (args: Record<string, unknown>) => ({
      backend: sqliteBackend({ path: String(args.path) }),
      drop: async () => {},
    }),
  },
  {
    name: "Redis",
    args: () => ({
      backend: "redis",
      url: inject("redisUrl"),
      prefix: `lcturns-${randomUUID().slice(0, 8)}`,
    }),
    open: (args: Record<string, unknown>) => {
      const backend = redisBackend(
        { url: String(args.url) },
        { prefix: String(args.prefix), log: () => {} },
      );
      return { backend, drop: () => backend.drop() };
    },
  },
];

describe.each(backends)(
  "an agent with memoryMiddleware, one process per turn, on $name",
  (backend) => {
    it("recalls in the second turn what the first stored, and the model sees it", async () => {
      const where = backend.args();
      const first = await turn({ ...where, user: "alice", thread: "t1", turn: 1 });
      expect(first.answer).toBe("Noted: your favourite city is Lisbon.");

      const second = await turn({ ...where, user: "alice", thread: "t1", turn: 2 });
      expect(second.answer).toBe("Visit Lisbon, your favourite city.");
      const input = second.modelInputs[0]!;
      const recallIndex = input.findIndex((message) => message.id === RECALL_MESSAGE_ID);
      expect(recallIndex).toBeGreaterThanOrEqual(0);
      expect(input[recallIndex]!.type).toBe("human");
      expect(input[recallIndex]!.text).toContain("The user's favourite city is Lisbon");
      expect(input[recallIndex + 1]!.text).toBe(
        "Which city should I visit on holiday? My favourite city, please.",
      );

      // Another user recalls nothing of Alice's.
      const other = await turn({ ...where, user: "bob", thread: "t9", turn: 2 });
      expect(other.answer).toBe("I don't know.");

      // Both turns are in Alice's thread, in order, tool call and result included.
      const store = backend.open(where);
      const memory: Memory = createMemory({
        backend: store.backend,
        embedder: createTestEmbedder(),
      });
      try {
        const { messages } = await memory.messages.list({
          namespace: ["users", "alice"],
          threadId: "t1",
        });
        expect(messages.map((message) => message.role)).toEqual([
          "user",
          "assistant",
          "tool",
          "assistant",
          "user",
          "assistant",
        ]);
      } finally {
        await store.drop();
        await memory.close();
      }
    });
  },
);
