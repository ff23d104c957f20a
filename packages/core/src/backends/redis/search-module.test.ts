import { describe, expect, it } from "vitest";
import { hasSearchModule } from "./search-module.js";

describe("hasSearchModule", () => {
  const module = (name: string, ver: number) => [
    "name",
    name,
    "ver",
    ver,
    "path",
    "/x.so",
    "args",
    [],
  ];

  it("wants RediSearch 2.6 or later, under either name it reports", () => {
    expect(hasSearchModule([module("search", 20_609)])).toBe(true);
    expect(hasSearchModule([module("ReJSON", 20_606), module("ft", 80_000)])).toBe(true);
    expect(hasSearchModule([module("search", 20_410)])).toBe(false);
  });

  it("reads RESP3 replies, as maps or plain objects", () => {
    const resp3 = { name: "search", ver: 20_637, path: "/x.so", args: [] };
    expect(hasSearchModule([resp3])).toBe(true);
    expect(hasSearchModule([new Map(Object.entries(resp3))])).toBe(true);
    expect(hasSearchModule([{ ...resp3, ver: 20_410 }])).toBe(false);
  });

  it("says no for a server without modules or a reply it cannot read", () => {
    expect(hasSearchModule([])).toBe(false);
    expect(hasSearchModule({ name: "search" })).toBe(false);
  });
});
