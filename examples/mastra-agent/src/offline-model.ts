import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { MockLanguageModelV3 } from "ai/test";

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 0, text: 0, reasoning: undefined },
};

function text(prompt: LanguageModelV3Prompt): string {
  return prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part ? part.text : "")).join(" "),
    )
    .join("\n");
}

const words = (sentence: string) =>
  new Set(
    sentence
      .toLowerCase()
      .match(/[a-z]{3,}/g)
      ?.filter((word) => !STOP.has(word)) ?? [],
  );
const STOP = new Set([
  "what",
  "the",
  "and",
  "that",
  "you",
  "your",
  "remember",
  "with",
  "does",
  "are",
]);

/** What Mastra's memory put in the prompt: working memory lines and messages recalled from other threads. */
function remembered(system: string): string[] {
  const working = /<working_memory_data>([\s\S]*?)<\/working_memory_data>/.exec(system)?.[1] ?? "";
  const recalled =
    /<remembered_from_other_conversation>([\s\S]*?)<end_remembered/.exec(system)?.[1] ?? "";
  return [
    ...working
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .map((line) => line.slice(2)),
    ...[...recalled.matchAll(/User: (.*?)(?=Message from previous conversation|$)/gm)].map((m) =>
      m[1]!.trim(),
    ),
  ];
}

/**
 * A stand-in for a real model, offline and deterministic. "Remember that X" saves X to the
 * user's working memory through Mastra's own `updateWorkingMemory` tool; a question is answered
 * with the remembered sentence sharing the most words with it.
 */
export function offlineModel() {
  return new MockLanguageModelV3({
    modelId: "offline",
    doGenerate: async ({ prompt }) => {
      const last = prompt.at(-1)!;
      const system = text(prompt.filter((message) => message.role === "system"));
      const said = last.role === "user" ? text([last]) : "";
      const fact = /remember that (.*)/i.exec(said)?.[1]?.trim();
      const working = /<working_memory_data>([\s\S]*?)<\/working_memory_data>/
        .exec(system)?.[1]
        ?.trim();
      if (fact && last.role === "user") {
        const memory = `${working && !working.includes("**First Name**") ? working : "# Notes"}\n- ${fact}`;
        return {
          content: [
            {
              type: "tool-call",
              toolCallId: "wm",
              toolName: "updateWorkingMemory",
              input: JSON.stringify({ memory }),
            },
          ],
          finishReason: { unified: "tool-calls", raw: undefined },
          usage,
          warnings: [],
        };
      }
      const question = text(prompt.filter((message) => message.role === "user").slice(-1));
      let reply = "I don't know yet.";
      if (last.role === "tool") reply = "Noted.";
      else {
        const asked = words(question);
        let best = 0;
        for (const sentence of remembered(system)) {
          const shared = [...words(sentence)].filter((word) => asked.has(word)).length;
          if (shared > best) {
            best = shared;
            reply = `From what I remember: ${sentence}`;
          }
        }
      }
      return {
        content: [{ type: "text", text: reply }],
        finishReason: { unified: "stop", raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}
