import { describe, expect, it } from "vitest";
import type { StoredMemory } from "../record/memory-record.js";
import { mergeDuplicate, sameNumbers } from "./deduplicate.js";

describe("sameNumbers", () => {
  it.each([
    ["Alice's phone number is 555-1234", "Alice's phone number is 555-9876", false],
    ["The meeting is at 3pm", "The meeting is at 4pm", false],
    ["Order 123 shipped", "Order 123 has shipped", true],
    ["Costs 1,200.50 in 2024", "in 2024 it costs 1,200.50", true],
    ["no numbers here", "none here either", true],
    ["version 1.2", "version 1.2.3", false],
  ])("%s | %s -> %s", (a, b, expected) => {
    expect(sameNumbers(a, b)).toBe(expected);
  });
});

describe("mergeDuplicate", () => {
  const existing = {
    id: "x",
    content: "kept",
    metadata: { a: 1, b: 1 },
    tags: ["t1"],
    importance: 0.4,
    pinned: false,
    expiresAt: new Date(1000),
    updatedAt: new Date(0),
  } as unknown as StoredMemory;

  it("combines metadata, tags, importance, pinned and the later expiry", () => {
    const merged = mergeDuplicate(
      existing,
      {
        metadata: { b: 2, c: 3 },
        tags: ["t2", "t1"],
        importance: 0.9,
        pinned: true,
        expiresAt: new Date(5000),
      },
      7,
    );
    expect(merged).toMatchObject({
      content: "kept",
      metadata: { a: 1, b: 2, c: 3 },
      tags: ["t1", "t2"],
      importance: 0.9,
      pinned: true,
      expiresAt: new Date(5000),
      updatedAt: new Date(7),
    });
  });

  it("lets a memory that never expires win over one that does", () => {
    const merged = mergeDuplicate(
      existing,
      { metadata: {}, tags: [], importance: 0, pinned: false, expiresAt: undefined },
      7,
    );
    expect(merged.expiresAt).toBeUndefined();
  });
});
