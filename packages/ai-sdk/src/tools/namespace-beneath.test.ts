import { describe, expect, it } from "vitest";
import { namespaceBeneath, namespaceRelativeTo } from "./namespace-beneath.js";

const root = ["acme", "users", "alice"];

describe("namespaceBeneath", () => {
  it("puts a relative namespace beneath the root", () => {
    expect(namespaceBeneath(root, ["projects", "apollo"])).toEqual([...root, "projects", "apollo"]);
    expect(namespaceBeneath(root, [])).toEqual(root);
    expect(namespaceBeneath(root, undefined)).toEqual(root);
    // An absolute-looking namespace is still beneath the root, never another user's.
    expect(namespaceBeneath(root, ["acme", "users", "bob"])).toEqual([
      ...root,
      "acme",
      "users",
      "bob",
    ]);
  });

  it.each([[[".."]], [["..", "bob"]], [["a/b"]], [[""]], [["%2e%2e"]], [Array(14).fill("x")]])(
    "refuses %j without revealing the root",
    (relative) => {
      let error: unknown;
      try {
        namespaceBeneath(root, relative);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: "INVALID_NAMESPACE" });
      expect(String((error as Error).message)).not.toContain("alice");
    },
  );

  it("shows a namespace relative to the root", () => {
    expect(namespaceRelativeTo(root, [...root, "work"])).toEqual(["work"]);
  });
});
