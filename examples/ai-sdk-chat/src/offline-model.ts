// A scripted stand-in for a real model, so the chat runs with no API key and no network. It
// uses the memory tools the way a real model would: "remember ..." becomes a `remember` tool
// call, "forget ..." a `recall` then a `forget`, and a question is answered from the memories
// the middleware placed in the prompt.
import { MockLanguageModelV4, simulateReadableStream } from "ai/test";

type Part = {
  type: string;
  text?: string;
  toolName?: string;
  output?: { type: string; value: unknown };
};
type Message = { role: string; content: string | Part[] };
// What the memory tools return, as far as the script reads it.
type ToolOutput = {
  memory?: { content: string };
  forgotten?: number;
  memories?: Array<{ id: string }>;
};

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 0, text: 0, reasoning: undefined },
};

function textOf(message: Message | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => part.text ?? "").join("\n");
}

/** What the scripted model says next: a tool call or a text. */
function decide(prompt: Message[]): { tool: string; input: object } | { text: string } {
  const last = prompt.at(-1);
  if (last?.role === "tool") {
    const [result] = last.content as Part[];
    const value = result?.output?.value as ToolOutput | undefined;
    if (result?.toolName === "remember") return { text: `Noted: ${value?.memory?.content}` };
    if (result?.toolName === "forget") return { text: `Forgotten (${value?.forgotten}).` };
    if (result?.toolName === "recall") {
      const [best] = value?.memories ?? [];
      if (!best) return { text: "I have nothing like that to forget." };
      return { tool: "forget", input: { ids: [best.id] } };
    }
    return { text: "Done." };
  }
  const user = [...prompt].reverse().find((message) => message.role === "user");
  // The middleware put the recalled block first; what the user typed comes last.
  const parts =
    typeof user?.content === "string"
      ? [{ type: "text", text: user.content }]
      : (user?.content ?? []);
  const said = (parts.at(-1)?.text ?? "").trim();
  const remember = said.match(/^remember(?: that)?\s+(.+)$/i);
  if (remember) return { tool: "remember", input: { content: remember[1], kind: "preference" } };
  const forget = said.match(/^forget(?: that)?\s+(.+)$/i);
  if (forget) return { tool: "recall", input: { query: forget[1], limit: 1 } };
  const block = textOf(user).match(/<memory>([\s\S]*?)<\/memory>/)?.[1] ?? "";
  const best = block.match(/^- (.+?) \[[0-9a-f-]+\]$/m)?.[1];
  return {
    text: best
      ? `From what I remember: ${best}.`
      : 'I don\'t know yet. Tell me with "remember ...".',
  };
}

function toStream(step: ReturnType<typeof decide>) {
  const chunks: object[] = [{ type: "stream-start", warnings: [] }];
  if ("tool" in step) {
    chunks.push(
      {
        type: "tool-call",
        toolCallId: `call-${Date.now()}`,
        toolName: step.tool,
        input: JSON.stringify(step.input),
      },
      { type: "finish", finishReason: { unified: "tool-calls", raw: undefined }, usage },
    );
  } else {
    chunks.push({ type: "text-start", id: "t" });
    for (const word of step.text.split(/(?<= )/))
      chunks.push({ type: "text-delta", id: "t", delta: word });
    chunks.push(
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage },
    );
  }
  return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 5 }) };
}

/** The offline model: an AI SDK mock language model (`ai/test`) with a little script. */
export function offlineModel() {
  return new MockLanguageModelV4({
    provider: "offline",
    modelId: "scripted",
    doStream: async (options) => toStream(decide(options.prompt as Message[])) as never,
  });
}
