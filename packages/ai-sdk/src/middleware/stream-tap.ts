import type { PartLike } from "./spec.js";

type Delta = PartLike & { id: string; delta: string };

/**
 * Passes a model's stream through unchanged except for the `finish` part, which gains
 * `extraMetadata` in its provider metadata, and collects the reply's content on the way. When
 * the stream ends after a `finish` and without an `error` part, `onFinish` gets the content.
 */
export function tapStream(
  extraMetadata: Record<string, Record<string, unknown>>,
  onFinish: (content: PartLike[]) => void,
): TransformStream<PartLike, PartLike> {
  const content: PartLike[] = [];
  // Text and reasoning arrive as start / delta / end by id; they become one part each.
  const open = new Map<string, { type: string; text: string }>();
  let finished = false;
  let failed = false;
  return new TransformStream({
    transform(part, controller) {
      switch (part.type) {
        case "text-start":
        case "reasoning-start": {
          const kind = part.type === "text-start" ? "text" : "reasoning";
          const entry = { type: kind, text: "" };
          open.set(`${kind}:${(part as Delta).id}`, entry);
          content.push(entry);
          break;
        }
        case "text-delta":
        case "reasoning-delta": {
          const kind = part.type === "text-delta" ? "text" : "reasoning";
          const { id, delta } = part as Delta;
          let entry = open.get(`${kind}:${id}`);
          if (!entry) {
            entry = { type: kind, text: "" };
            open.set(`${kind}:${id}`, entry);
            content.push(entry);
          }
          entry.text += delta;
          break;
        }
        case "tool-call":
        case "tool-result":
        case "file":
          content.push(part);
          break;
        case "error":
          failed = true;
          break;
        case "finish": {
          finished = true;
          const own = (part as { providerMetadata?: Record<string, Record<string, unknown>> })
            .providerMetadata;
          controller.enqueue({
            ...part,
            providerMetadata: { ...own, ...extraMetadata },
          } as PartLike);
          return;
        }
      }
      controller.enqueue(part);
    },
    flush() {
      if (finished && !failed) onFinish(content);
    },
  });
}
