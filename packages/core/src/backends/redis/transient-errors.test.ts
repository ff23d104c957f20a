import { expect, it } from "vitest";
import { isSlotMoving } from "./transient-errors.js";

it("retries what a moving or failing-over slot answers, and nothing else", () => {
  expect(isSlotMoving(new Error("TRYAGAIN Multiple keys request during rehashing of slot"))).toBe(
    true,
  );
  expect(isSlotMoving(new Error("MOVED 3999 127.0.0.1:6381"))).toBe(true);
  expect(isSlotMoving(new Error("ASK 3999 127.0.0.1:6381"))).toBe(true);
  expect(isSlotMoving(new Error("CLUSTERDOWN The cluster is down"))).toBe(true);
  const aborted = Object.assign(new Error("EXECABORT Transaction discarded"), {
    replies: [new Error("TRYAGAIN Multiple keys request during rehashing of slot")],
  });
  expect(isSlotMoving(aborted)).toBe(true);
  expect(isSlotMoving(new Error("EXECABORT Transaction discarded"))).toBe(false);
  expect(isSlotMoving(new Error("OOM command not allowed when used memory > 'maxmemory'"))).toBe(
    false,
  );
  expect(isSlotMoving(new Error("CROSSSLOT Keys in request don't hash to the same slot"))).toBe(
    false,
  );
});
