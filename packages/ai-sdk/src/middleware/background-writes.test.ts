import { describe, expect, it } from "vitest";
import { createBackgroundWrites } from "./background-writes.js";

describe("createBackgroundWrites", () => {
  it("runs after the caller has moved on, in order per key, and flush waits for all", async () => {
    const writes = createBackgroundWrites();
    const log: string[] = [];
    const slow = (name: string, ms: number) => async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(name);
    };
    writes.run("a", slow("a1", 30));
    writes.run("a", slow("a2", 1));
    writes.run("b", slow("b1", 1));
    log.push("caller");
    await writes.flush();
    expect(log[0]).toBe("caller");
    expect(log.indexOf("a1")).toBeLessThan(log.indexOf("a2"));
    expect(log.indexOf("b1")).toBeLessThan(log.indexOf("a1"));
  });

  it("flush also waits for work queued while it waits", async () => {
    const writes = createBackgroundWrites();
    let done = false;
    writes.run("a", async () => {
      writes.run("a", async () => {
        done = true;
      });
    });
    await writes.flush();
    expect(done).toBe(true);
  });
});
