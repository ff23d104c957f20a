import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { MockLanguageModelV3 } from "ai/test";

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** What a scripted model does in one step (Mastra's `generate` calls `doGenerate`): say something, or call one tool. */
export type Step = { text: string } | { tool: string; input: unknown };

/** Everything the model was shown in one call, as one string, for assertions. */
export function promptText(prompt: LanguageModelV3Prompt): string {
  return prompt
    .map((message) =>
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
    )
    .join("\n");
}

/**
 * An offline language model whose every step is chosen by `script` from the prompt it is given,
 * and which keeps each prompt (newest last) so a test can see what memory put in it.
 */
export function scriptedModel(script: (prompt: LanguageModelV3Prompt) => Step) {
  const prompts: string[] = [];
  const model = new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      prompts.push(promptText(prompt));
      const step = script(prompt);
      return "text" in step
        ? {
            content: [{ type: "text", text: step.text }],
            finishReason: { unified: "stop", raw: "stop" },
            usage,
            warnings: [],
          }
        : {
            content: [
              {
                type: "tool-call",
                toolCallId: `call-${prompts.length}`,
                toolName: step.tool,
                input: JSON.stringify(step.input),
              },
            ],
            finishReason: { unified: "tool-calls", raw: "tool_calls" },
            usage,
            warnings: [],
          };
    },
  });
  return { model, prompts };
}

/** True when the last message of the prompt is a tool result (the model's tool call ran). */
export function afterToolCall(prompt: LanguageModelV3Prompt): boolean {
  return prompt.at(-1)?.role === "tool";
}
