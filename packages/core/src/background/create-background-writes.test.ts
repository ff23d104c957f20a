import { describe, expect, it } from "vitest";
import { createBackgroundWrites } from "./create-background-writes.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createBackgroundWrites", () => {
  it("runs after the caller has moved on, in order per key, and flush waits for all", async () => {
    const writes = createBackgroundWrites();
    const log: string[] = [];
    const slow = (name: string, ms: number) => async () => {
      await pause(ms);
      log.push(name);
    };
    writes.run("a", slow("a1", 30));
    writes.run("a", slow("a2", 1));
    writes.run("b", slow("b1", 1));
    await Promise.resolve();
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
      await pause(1);
      writes.run("a", async () => {
        done = true;
      });
    });
    await writes.flush();
    expect(done).toBe(true);
  });

  it("reports a failed write and keeps the key's queue going", async () => {
    const errors: unknown[] = [];
    const writes = createBackgroundWrites({
      onError: (error) => {
        errors.push(error);
        throw new Error("a broken handler");
      },
    });
    const log: string[] = [];
    writes.run("a", async () => {
      throw new Error("disk full");
    });
    writes.run("a", async () => {
      log.push("after");
    });
    await writes.flush();
    expect(errors).toEqual([new Error("disk full")]);
    expect(log).toEqual(["after"]);
  });

  it("flush resolves at once when nothing is queued", async () => {
    await expect(createBackgroundWrites().flush()).resolves.toBeUndefined();
  });
});
