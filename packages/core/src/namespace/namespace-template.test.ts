import { describe, expect, it } from "vitest";
import { EngramError } from "../errors/engram-error.js";
import { createNamespaceTemplate } from "./namespace-template.js";

function errorOf(fn: () => unknown): EngramError {
  try {
    fn();
  } catch (error) {
    if (EngramError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an EngramError");
}

const context = (values: Record<string, unknown> | undefined) => ({
  label: "the run's context",
  values,
});
const configurable = (values: Record<string, unknown> | undefined) => ({
  label: "config.configurable",
  values,
});

describe("createNamespaceTemplate", () => {
  it("fills whole-segment placeholders from the first source that has them", () => {
    const template = createNamespaceTemplate(["acme", "users", "{user_id}", "agents", "{agent}"]);
    expect(template.variables).toEqual(["user_id", "agent"]);
    expect(
      template.fill([context({ user_id: "alice" }), configurable({ agent: 7, thread_id: "t" })]),
    ).toEqual(["acme", "users", "alice", "agents", "7"]);
  });

  it("is an ordinary namespace when it has no placeholders", () => {
    const template = createNamespaceTemplate(["acme", "shared"]);
    expect(template.variables).toEqual([]);
    expect(template.fill([])).toEqual(["acme", "shared"]);
  });

  it("refuses a missing value, naming it and where to pass it", () => {
    const template = createNamespaceTemplate(["users", "{user_id}"]);
    for (const sources of [
      [],
      [context(undefined), configurable({})],
      [context({ user_id: "" }), configurable({ user_id: null })],
    ]) {
      const error = errorOf(() => template.fill(sources));
      expect(error.code).toBe("INVALID_NAMESPACE");
      expect(error.details).toMatchObject({ missing: ["user_id"] });
    }
    expect(errorOf(() => template.fill([context({}), configurable({})])).message).toBe(
      'The memory namespace ["users","{user_id}"] needs "user_id": pass it in the run\'s context or config.configurable.',
    );
  });

  it("refuses values that would escape or merge namespaces", () => {
    const template = createNamespaceTemplate(["users", "{user_id}"]);
    for (const value of ["a/b", "..", "a b", "{x}", { id: 1 }, true, Number.NaN]) {
      expect(errorOf(() => template.fill([context({ user_id: value })])).code).toBe(
        "INVALID_NAMESPACE",
      );
    }
  });

  it("refuses two sources that disagree", () => {
    const template = createNamespaceTemplate(["users", "{user_id}"]);
    expect(
      template.fill([context({ user_id: "alice" }), configurable({ user_id: "alice" })]),
    ).toEqual(["users", "alice"]);
    const error = errorOf(() =>
      template.fill([context({ user_id: "alice" }), configurable({ user_id: "bob" })]),
    );
    expect(error.code).toBe("INVALID_NAMESPACE");
    expect(error.message).toContain(
      '"alice" in the run\'s context but "bob" in config.configurable',
    );
  });

  it("refuses a bad template at once", () => {
    for (const bad of [
      ["users", "u-{user_id}"],
      ["users", "{user id}"],
      ["users", "{}"],
      [],
      ["a/b", "{x}"],
      "users",
      ["users", 3],
    ]) {
      expect(errorOf(() => createNamespaceTemplate(bad as never)).code).toBe("INVALID_NAMESPACE");
    }
  });
});
