// A chat loop with long-term memory: `memoryMiddleware` recalls what matters before every model
// call and appends each turn to the conversation; `memoryTools` lets the model remember, recall,
// update and forget on its own. Offline by default; set OPENAI_API_KEY for a real model.
//
//   node src/chat.ts [--user alice] [--thread chat]      then type; /history, /memories, /exit
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { memoryMiddleware, memoryTools } from "@engram/ai-sdk";
import { createMemory, namespaceFor, redisBackend } from "@engram/core";
import { type LanguageModel, stepCountIs, streamText, wrapLanguageModel } from "ai";
import { offlineModel } from "./offline-model.ts";

const { values: args } = parseArgs({
  options: {
    user: { type: "string", default: "alice" },
    thread: { type: "string", default: "chat" },
  },
});

// The embedded SQLite file in ./.engram by default, or your Redis.
const memory = createMemory(
  process.env.REDIS_URL ? { backend: redisBackend({ url: process.env.REDIS_URL }) } : {},
);
const namespace = namespaceFor({ tenant: "acme", user: args.user! });

async function chooseModel(): Promise<LanguageModel> {
  if (!process.env.OPENAI_API_KEY) return offlineModel();
  const { openai } = await import("@ai-sdk/openai");
  return openai(process.env.OPENAI_MODEL ?? "gpt-4o-mini");
}

const middleware = memoryMiddleware({ memory, namespace, threadId: args.thread, maxTokens: 500 });
const model = wrapLanguageModel({ model: await chooseModel(), middleware });
const tools = memoryTools({ memory, namespace });

const lines = createInterface({
  input: process.stdin,
  output: process.stdin.isTTY ? process.stdout : undefined,
  prompt: "you> ",
});
// Piped input (as in the test) gets no prompts: the interface closes at the end of input.
const prompt = () => process.stdin.isTTY && lines.prompt();
prompt();
for await (const line of lines) {
  const input = line.trim();
  if (input === "/exit") break;
  if (input === "") {
    prompt();
    continue;
  }
  if (input === "/memories") {
    for (const item of (await memory.list({ within: namespace })).memories)
      console.log(`- ${item.content}`);
    prompt();
    continue;
  }
  if (input === "/history") {
    await middleware.flush(); // the last turn's write may still be on its way
    const { messages } = await memory.messages.list({ namespace, threadId: args.thread! });
    for (const message of messages)
      console.log(`${message.role}: ${JSON.stringify(message.content)}`);
    prompt();
    continue;
  }
  const result = streamText({
    model,
    system:
      "You are a helpful assistant with long-term memory. Save lasting facts and preferences with the remember tool; use what the <memory> block tells you.",
    prompt: input,
    tools,
    stopWhen: stepCountIs(4),
  });
  process.stdout.write("assistant> ");
  for await (const delta of result.textStream) process.stdout.write(delta);
  // What the middleware recalled for the last step, from the result's provider metadata.
  const recalled = ((await result.providerMetadata)?.engram?.memories ?? []) as unknown[];
  process.stdout.write(
    `\n   (${recalled.length} ${recalled.length === 1 ? "memory" : "memories"} recalled)\n`,
  );
  prompt();
}

lines.close();
await middleware.flush();
await memory.close();
