// A stand-in for a real chat model, so the example runs offline: LangChain's own fake model,
// answering each call from the latest user message and the memories recalled for it.
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";

const RECALLED = "engram-recalled-memories";
let calls = 0;

function reply(messages: BaseMessage[]): AIMessage {
  calls += 1;
  const last = messages.at(-1);
  if (last && ToolMessage.isInstance(last)) {
    if (last.status === "error") return new AIMessage(`That did not work: ${last.text}`);
    return new AIMessage(
      last.name === "update_profile" ? "I've saved where you live." : "I'll remember that.",
    );
  }
  const question = [...messages]
    .reverse()
    .find((message) => HumanMessage.isInstance(message) && message.id !== RECALLED);
  const text = question?.text ?? "";
  const remember = /^remember that (?:i am|i'm) (.+?)\.?$/i.exec(text);
  if (remember) {
    return new AIMessage({
      content: "",
      tool_calls: [
        {
          id: `call-${calls}`,
          name: "manage_memory",
          args: { content: `The user is ${remember[1]}`, kind: "fact" },
          type: "tool_call",
        },
      ],
    });
  }
  const home = /^i live in (.+?)\.?$/i.exec(text);
  if (home) {
    return new AIMessage({
      content: "",
      tool_calls: [
        { id: `call-${calls}`, name: "update_profile", args: { city: home[1] }, type: "tool_call" },
      ],
    });
  }
  const recalled = messages.find((message) => message.id === RECALLED)?.text ?? "";
  const facts = [...recalled.matchAll(/^- (.+) \[[0-9a-f-]+\]$/gm)].map((match) => match[1]);
  return new AIMessage(
    facts.length > 0
      ? `Here is what I know about you: ${facts.join("; ")}.`
      : "I don't know anything about you yet.",
  );
}

/** A fake chat model with enough scripted replies for a long session. */
export function scriptedModel() {
  const model = fakeModel();
  for (let call = 0; call < 100; call++) model.respond(reply);
  return model;
}
