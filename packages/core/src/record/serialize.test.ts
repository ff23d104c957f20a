import { describe, expect, it } from "vitest";
import type { MemoryRecord } from "./memory-record.js";
import { deserializeRecord, serializeRecord } from "./serialize.js";

describe("serializeRecord", () => {
  it("round-trips a record, dates and absent fields included", () => {
    const record: MemoryRecord = {
      id: "0190a0a0-0000-7000-8000-000000000000",
      namespace: ["a", "b:c"],
      content: "x",
      kind: "fact",
      key: undefined,
      metadata: { n: 1, list: [true, null] },
      tags: ["t"],
      importance: 0.5,
      pinned: false,
      createdAt: new Date(1000),
      updatedAt: new Date(2000),
      lastAccessedAt: undefined,
      accessCount: 0,
      expiresAt: new Date(3000),
      contentHash: "h",
      embedding: { model: "m", dimensions: 3 },
    };
    expect(deserializeRecord(serializeRecord(record))).toEqual(record);
    expect(
      deserializeRecord(serializeRecord({ ...record, key: "k", lastAccessedAt: new Date(5) })),
    ).toEqual({
      ...record,
      key: "k",
      lastAccessedAt: new Date(5),
    });
  });
});
