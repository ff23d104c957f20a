import { describe, expect, it } from "vitest";
import { resolveRedisOptions } from "./options.js";

describe("resolveRedisOptions", () => {
  it("fills in the defaults", () => {
    const options = resolveRedisOptions({});
    expect(options).toMatchObject({
      prefix: "engram",
      eventStreamLength: 100_000,
      mode: "auto",
      tenantSegments: 1,
      hnsw: { m: 16, efConstruction: 200, efRuntime: 128 },
    });
    expect(resolveRedisOptions({ hnsw: { efRuntime: 300 } }).hnsw).toEqual({
      m: 16,
      efConstruction: 200,
      efRuntime: 300,
    });
  });

  it("refuses a prefix that would break the hash tag, and nonsense numbers", () => {
    for (const bad of [
      { prefix: "a}b" },
      { prefix: "" },
      { eventStreamLength: 0 },
      { hnsw: { m: 1.5 } },
      { vectorIndexCache: "" },
      { tenantSegments: 0 },
      { tenantSegments: 9 },
      { tenantSegments: 1.5 },
      { vectorIndexCache: true as unknown as string },
    ]) {
      expect(() => resolveRedisOptions(bad)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });
});
