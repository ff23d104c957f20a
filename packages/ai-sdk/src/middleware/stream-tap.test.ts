import { describe, expect, it } from "vitest";
import type { PartLike } from "./spec.js";
import { tapStream } from "./stream-tap.js";

async function run(parts: object[]) {
  let finished: PartLike[] | undefined;
  const stream = new ReadableStream<PartLike>({
    start(controller) {
      for (const part of parts) controller.enqueue(part as PartLike);
      controller.close();
    },
  }).pipeThrough(tapStream({ engram: { recalled: 1 } }, (content) => (finished = content)));
  const out: PartLike[] = [];
  for await (const part of stream) out.push(part);
  return { out, finished };
}

describe("tapStream", () => {
  it("passes parts through, adds metadata to finish, and collects the reply", async () => {
    const { out, finished } = await run([
      { type: "stream-start", warnings: [] },
      { type: "reasoning-start", id: "r" },
      { type: "reasoning-delta", id: "r", delta: "think" },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Hel" },
      { type: "text-delta", id: "t", delta: "lo" },
      { type: "tool-call", toolCallId: "c", toolName: "x", input: "{}" },
      { type: "finish", finishReason: "stop", providerMetadata: { mock: { a: 1 } } },
    ]);
    expect(out).toHaveLength(8);
    expect(out[7]).toEqual({
      type: "finish",
      finishReason: "stop",
      providerMetadata: { mock: { a: 1 }, engram: { recalled: 1 } },
    });
    expect(finished).toEqual([
      { type: "reasoning", text: "think" },
      { type: "text", text: "Hello" },
      { type: "tool-call", toolCallId: "c", toolName: "x", input: "{}" },
    ]);
  });

  it("reports nothing for a stream that errored or never finished", async () => {
    expect(
      (
        await run([
          { type: "text-delta", id: "t", delta: "x" },
          { type: "error", error: "boom" },
          { type: "finish" },
        ])
      ).finished,
    ).toBeUndefined();
    expect((await run([{ type: "text-delta", id: "t", delta: "x" }])).finished).toBeUndefined();
  });
});
