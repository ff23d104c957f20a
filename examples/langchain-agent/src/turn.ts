// One turn as a process of its own: node src/turn.ts <user> <thread> "<message>"
import { HumanMessage } from "@langchain/core/messages";
import { createAssistant } from "./assistant.ts";
import { openMemory } from "./open-memory.ts";
import { scriptedModel } from "./scripted-model.ts";

const [user = "alice", thread = "chat-1", text = "Hello"] = process.argv.slice(2);
const memory = openMemory();
const model = scriptedModel();
const { agent, flush } = createAssistant({ memory, model });

const result = await agent.invoke(
  { messages: [new HumanMessage(text)] },
  { context: { user_id: user }, configurable: { thread_id: thread } },
);
await flush();
await memory.close();
console.log(`${user}> ${text}`);
console.log(`assistant> ${result.messages.at(-1)?.text}`);
