import { describe, expect, it } from "vitest";
import { sqliteBackend } from "../backends/sqlite/sqlite-backend.js";
import { createTestEmbedder } from "../testing/test-embedder.js";
import { createMemory } from "./create-memory.js";

describe("createMemory options", () => {
  it("refuses an unknown option, naming it and the known ones", () => {
    expect(() => createMemory({ backnd: sqliteBackend({ path: ":memory:" }) } as never)).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringMatching(
          /Unknown createMemory option backnd; known options are backend, embedder/,
        ),
      }),
    );
  });

  it("refuses an unknown nested option", () => {
    expect(() => createMemory({ ranking: { wieght: 0 } } as never)).toThrow(
      /Unknown createMemory option ranking\.wieght\./,
    );
    expect(() => createMemory({ dedup: { threshhold: 0.9 } } as never)).toThrow(
      /dedup\.threshhold/,
    );
  });

  it("refuses ranking values out of range, naming the option", () => {
    for (const ranking of [
      { weight: 1.5 },
      { neighbourWeight: -0.1 },
      { timeWeight: Number.NaN },
      { recencyHalfLifeMs: 0 },
      { neighbourWindowMs: -1 },
      { timeSlackMs: Number.POSITIVE_INFINITY },
    ]) {
      const [name] = Object.keys(ranking);
      expect(() => createMemory({ ranking } as never)).toThrow(
        expect.objectContaining({
          code: "INVALID_ARGUMENT",
          message: expect.stringContaining(`Invalid createMemory option ranking.${name}:`),
        }),
      );
    }
  });

  it("accepts every documented option", async () => {
    const memory = createMemory({
      backend: sqliteBackend({ path: ":memory:" }),
      embedder: createTestEmbedder(),
      limits: { contentLength: 100 },
      now: Date.now,
      ttlByKind: {},
      dedup: false,
      ranking: {
        weight: 0,
        recencyHalfLifeMs: false,
        neighbourWeight: 0,
        neighbourWindowMs: 1,
        timeWeight: 0,
        timeSlackMs: 0,
      },
      countTokens: (text) => text.length,
      retention: { capacity: 10 },
    });
    await memory.close();
  });
});
