import { EngramError, type MemoryRecord } from "@engram/core";
import { type ToolRunnableConfig, tool } from "@langchain/core/tools";
import { z } from "zod";
import { runNamespace } from "../run-namespace/run-namespace.js";
import { type CompactMemory, toCompactMemory } from "./compact-memory.js";
import { findInScope } from "./find-in-scope.js";
import {
  type MemoryToolsOptions,
  type ResolvedToolsOptions,
  resolveToolsOptions,
} from "./options.js";

/** What the manage tool reports back to the model. */
export interface ManageMemoryResult extends Partial<CompactMemory> {
  /** `merged`/`skipped`: the memory already existed; `id` is the one that holds it. */
  status: "created" | "updated" | "merged" | "skipped" | "deleted";
  id: string;
}

function verbs(actions: readonly string[]): string {
  const [first = "", ...rest] = actions;
  const capitalised = first.charAt(0).toUpperCase() + first.slice(1);
  if (rest.length === 0) return capitalised;
  return `${[capitalised, ...rest.slice(0, -1)].join(", ")} or ${rest.at(-1)}`;
}

function descriptionOf(options: ResolvedToolsOptions): string {
  const lines = [
    `${verbs(options.actions)} a memory that persists across conversations.`,
    "Write one self-contained statement per memory, such as a preference the user states, something they ask you to remember, or a fact worth knowing next time.",
  ];
  if (options.actions.includes("create")) {
    lines.push("Omit the id when creating: one is assigned and returned.");
  }
  if (options.actions.includes("update") || options.actions.includes("delete")) {
    lines.push(
      `To ${options.actions.filter((action) => action !== "create").join(" or ")} a memory that is wrong or outdated, pass its id (from ${options.names.search} results or recalled memories).`,
    );
  }
  if (options.instructions) lines.push(options.instructions);
  return lines.join("\n");
}

// With `content_and_artifact` LangChain expects a [content, artifact] pair from the function,
// yet a direct call (not a tool call) still returns just the content: so the tool's output
// type is the content string either way.
function reply(
  options: ResolvedToolsOptions,
  result: ManageMemoryResult,
  record: MemoryRecord | undefined,
): string {
  const content = JSON.stringify(result);
  return (
    options.responseFormat === "content_and_artifact" ? [content, record] : content
  ) as string;
}

/** LangMem's manage pattern: one tool that creates, updates and deletes memories by id. */
export function createManageMemoryTool(input: MemoryToolsOptions) {
  const options = resolveToolsOptions(input);
  return manageMemoryTool(options);
}

/** The manage tool over validated options (shared with `createMemoryTools`). */
export function manageMemoryTool(options: ResolvedToolsOptions) {
  const { memory, template, actions, kinds } = options;
  const defaultKind = kinds.includes("fact") ? "fact" : kinds[0];
  const schema = z.object({
    action: z
      .enum(actions as [string, ...string[]])
      .default(actions.includes("create") ? "create" : actions[0]!)
      .describe("What to do with the memory."),
    content: z
      .string()
      .min(1)
      .optional()
      .describe("The memory, as one self-contained statement. Required to create or update."),
    id: z.string().optional().describe("The memory's id, to update or delete it. Omit to create."),
    kind: z
      .enum(kinds)
      .optional()
      .describe(
        `What sort of memory this is. Default: ${defaultKind} (on update, the memory's current kind).`,
      ),
  });

  return tool(
    async (args, runtime: ToolRunnableConfig) => {
      const namespace = runNamespace(template, runtime);
      const { action, content, id, kind } = args;
      if (!actions.includes(action as never)) {
        throw new EngramError("INVALID_ARGUMENT", `The action ${action} is not allowed here.`);
      }
      if (action === "create") {
        if (id !== undefined) {
          throw new EngramError(
            "INVALID_ARGUMENT",
            "Do not pass an id when creating a memory; omit it and one is assigned.",
          );
        }
        if (content === undefined) {
          throw new EngramError("INVALID_ARGUMENT", "Creating a memory needs its content.");
        }
        const result = await memory.remember({ namespace, content, kind: kind ?? defaultKind });
        return reply(
          options,
          { status: result.status, ...toCompactMemory(result.memory) },
          result.memory,
        );
      }
      if (id === undefined) {
        throw new EngramError("INVALID_ARGUMENT", `To ${action} a memory, pass its id.`);
      }
      const existing = await findInScope(options, namespace, id);
      if (action === "delete") {
        await memory.forget(existing.id);
        return reply(options, { status: "deleted", id: existing.id }, existing);
      }
      if (content === undefined && kind === undefined) {
        throw new EngramError(
          "INVALID_ARGUMENT",
          "Updating a memory needs its new content or kind.",
        );
      }
      const updated = await memory.update(existing.id, {
        ...(content === undefined ? {} : { content }),
        ...(kind === undefined ? {} : { kind }),
      });
      return reply(options, { status: "updated", ...toCompactMemory(updated) }, updated);
    },
    {
      name: options.names.manage,
      description: descriptionOf(options),
      schema,
      responseFormat: options.responseFormat,
    },
  );
}
