// The agent: Engram memory through the middleware (recall before each model call, each turn
// stored in its thread), the memory tools, and EngramStore as the agent's LangGraph store.
import type { Memory } from "@engram/core";
import { memoryMiddleware } from "@engram/langchain";
import { EngramStore } from "@engram/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type ToolRuntime, tool } from "@langchain/core/tools";
import { getStore } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { z } from "zod";

/** Everything about a user lives under this namespace. */
export const userNamespace = (user: string) => ["acme", "users", user];

// A tool of the app's own that writes through LangGraph's store API. EngramStore keeps each item
// as an Engram memory, so the middleware recalls the profile like anything else the user said.
const updateProfile = tool(
  async ({ city }, runtime: ToolRuntime) => {
    const user = String((runtime.context as { user_id?: string } | undefined)?.user_id);
    // getStore() is the agent's LangGraph store (ToolRuntime types `store` as a key-value store).
    await getStore()?.put([...userNamespace(user), "profile"], "home", {
      text: `The user lives in ${city}`,
      city,
    });
    return `Saved: lives in ${city}.`;
  },
  {
    name: "update_profile",
    description: "Save where the user lives.",
    schema: z.object({ city: z.string().describe("The user's home city") }),
  },
);

/** An assistant for one memory; pass your chat model, or the scripted one for offline runs. */
export function createAssistant({ memory, model }: { memory: Memory; model: BaseChatModel }) {
  const engram = memoryMiddleware({
    memory,
    namespace: ["acme", "users", "{user_id}"],
    recall: { scope: "within", maxTokens: 400 }, // the user's memories and their profile below
    tools: { scope: "within" },
  });
  const store = new EngramStore({ memory, index: { fields: ["text"] } });
  const agent = createAgent({
    model,
    systemPrompt: "You are a helpful assistant who remembers the user.",
    tools: [updateProfile],
    middleware: [engram],
    store,
  });
  return {
    agent,
    /** Waits until every turn has been stored (call before the process exits). */
    flush: () => engram.flush(),
  };
}
