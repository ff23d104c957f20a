import { parseArgs } from "node:util";
import { createMemory, redisBackend, sqliteBackend, universalSentenceEncoder } from "@engram/core";
import { EngramStore, EngramVector } from "@engram/mastra";
import { Agent } from "@mastra/core/agent";
import type { MastraEmbeddingModel } from "@mastra/core/vector";
import { Memory } from "@mastra/memory";
import { asEmbeddingModel } from "./embedding-model.ts";
import { offlineModel } from "./offline-model.ts";

const { values, positionals } = parseArgs({
  options: {
    user: { type: "string", default: "ada" },
    thread: { type: "string", default: "main" },
  },
  allowPositionals: true,
});

// One Engram store holds everything: threads, messages, working memory and the vectors.
const encoder = universalSentenceEncoder();
const engram = createMemory({
  backend: process.env.REDIS_URL
    ? redisBackend({ url: process.env.REDIS_URL })
    : sqliteBackend({ path: ".engram/mastra.db" }),
  embedder: encoder,
});

const memory = new Memory({
  storage: new EngramStore({ memory: engram }),
  vector: new EngramVector({ memory: engram }),
  embedder: asEmbeddingModel(encoder) as unknown as MastraEmbeddingModel<string>,
  options: {
    lastMessages: 10,
    semanticRecall: { scope: "resource", topK: 3, messageRange: 1 },
    workingMemory: { enabled: true, scope: "resource" },
    generateTitle: false,
  },
});

const agent = new Agent({
  id: "assistant",
  name: "assistant",
  instructions: "You are a helpful assistant. Use what you remember about the user.",
  model: offlineModel(),
  memory,
});

const said = positionals.join(" ");
const result = await agent.generate(said, {
  memory: { thread: values.thread, resource: values.user },
});
console.log(`${values.user}/${values.thread} > ${said}`);
console.log(`assistant: ${result.text}`);
const working = await memory.getWorkingMemory({ threadId: values.thread, resourceId: values.user });
if (working) console.log(`working memory:\n${working}`);
await engram.close();
