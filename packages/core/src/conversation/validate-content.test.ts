import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import { validateContent } from "./validate-content.js";

async function issues(schema: unknown, content: Parameters<typeof validateContent>[1]) {
  try {
    await validateContent(schema, content);
    return undefined;
  } catch (error) {
    expect(EngramError.isInstance(error) && error.code).toBe("INVALID_ARGUMENT");
    return (error as EngramError).details?.issues;
  }
}

describe("validateContent", () => {
  it("passes anything without a schema", async () => {
    expect(await issues(undefined, { any: "thing" })).toBeUndefined();
  });

  it("checks a zod schema and reports each problem under content", async () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()) });
    expect(await issues(schema, { name: "a", tags: [] })).toBeUndefined();
    expect(await issues(schema, { name: 1, tags: ["ok", 2] })).toEqual([
      { path: ["content", "name"], message: expect.any(String) },
      { path: ["content", "tags", "1"], message: expect.any(String) },
    ]);
    expect(await issues(z.string().max(3), "long text")).toHaveLength(1);
  });

  it("checks a JSON Schema object", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string", enum: ["Lyon", "Paris"] } },
      required: ["city"],
    };
    expect(await issues(schema, { city: "Lyon" })).toBeUndefined();
    expect(await issues(schema, { city: "Rome" })).toHaveLength(1);
    expect(await issues(schema, {})).toHaveLength(1);
    expect(await issues(schema, "text")).toHaveLength(1);
  });

  it("refuses what is not a schema", async () => {
    expect(await issues(42, {})).toEqual([{ path: ["schema"], message: "not a schema" }]);
    expect(await issues([{ type: "object" }], {})).toEqual([
      { path: ["schema"], message: "not a schema" },
    ]);
  });
});
