import type { MemoryContext } from "../memory/context.js";
import type { TokenCounter } from "../memory/context-block.js";
import type { Scope } from "../namespace/scope.js";
import { appendMessages } from "./append-messages.js";
import { cloneThread } from "./clone-thread.js";
import { createThread } from "./create-thread.js";
import { deleteMessages } from "./delete-messages.js";
import { deleteThread } from "./delete-thread.js";
import { deleteWorkingMemory } from "./delete-working-memory.js";
import { getMessages } from "./get-messages.js";
import { getThread } from "./get-thread.js";
import { getWorkingMemory } from "./get-working-memory.js";
import { ingest } from "./ingest.js";
import { listMessages } from "./list-messages.js";
import { listThreads } from "./list-threads.js";
import { patchWorkingMemory } from "./patch-working-memory.js";
import { replaceWorkingMemory } from "./replace-working-memory.js";
import type {
  AppendMessagesInput,
  CloneThreadInput,
  CreateThreadInput,
  DeleteMessagesInput,
  GetMessagesInput,
  IngestOptions,
  IngestReport,
  ListMessagesOptions,
  ListThreadsOptions,
  Message,
  MessageWindow,
  PatchWorkingMemoryInput,
  ReplaceWorkingMemoryInput,
  Thread,
  ThreadAddress,
  ThreadPage,
  UpdateMessageInput,
  UpdateThreadInput,
  WorkingMemory,
  WorkingMemoryAddress,
} from "./types.js";
import { updateMessage } from "./update-message.js";
import { updateThread } from "./update-thread.js";

/** Threads of a memory: conversations under the same namespaces as its memories. */
export interface Threads {
  /** Creates a thread; `CONFLICT` if the id exists in that namespace. */
  create(input: CreateThreadInput): Promise<Thread>;
  /**
   * A thread by address, or `undefined`. `get({ within: root, threadId })` finds a thread by id
   * anywhere in a scope; when several namespaces in it hold that id, the most recently updated wins.
   */
  get(address: ThreadAddress | (Scope & { threadId: string })): Promise<Thread | undefined>;
  /** `title: null` clears it; `metadata` replaces the object. `NOT_FOUND` if missing. */
  update(input: UpdateThreadInput): Promise<Thread>;
  /** Deletes the thread, its messages, summary, working memory and ingest state. */
  delete(address: ThreadAddress): Promise<boolean>;
  /** Threads in a scope, newest activity first (or `order: "oldest"`), filtered by metadata. */
  list(options: ListThreadsOptions): Promise<ThreadPage>;
  /** Copies a thread and its messages (all, by id, or the newest `last`) to a new thread. */
  clone(input: CloneThreadInput): Promise<Thread>;
}

/** Messages of a memory's threads. */
export interface Messages {
  /** Appends messages, all or none, idempotently by id; creates the thread unless told not to. */
  append(input: AppendMessagesInput): Promise<Message[]>;
  /** A window of a thread, oldest first: the newest 50 by default. */
  list(options: ListMessagesOptions): Promise<MessageWindow>;
  /** Messages by id in one thread, or in any thread in a scope; `undefined` where missing. */
  get(input: GetMessagesInput): Promise<(Message | undefined)[]>;
  /** Changes content, role or metadata (replaced) of one message. `NOT_FOUND` if missing. */
  update(input: UpdateMessageInput): Promise<Message>;
  /** Deletes messages by id; returns how many were deleted. */
  delete(input: DeleteMessagesInput): Promise<number>;
}

/** Working memory: one small document per namespace, or per thread, versioned. */
export interface WorkingMemories {
  get(address: WorkingMemoryAddress): Promise<WorkingMemory | undefined>;
  /** Replaces the document; with `version`, only if it is still that version (`CONFLICT`). */
  replace(input: ReplaceWorkingMemoryInput): Promise<WorkingMemory>;
  /** Applies a JSON merge patch atomically; concurrent patches never lose each other's fields. */
  patch(input: PatchWorkingMemoryInput): Promise<WorkingMemory>;
  delete(address: WorkingMemoryAddress): Promise<boolean>;
}

/** The conversation parts of a memory, over its context. */
export function createConversations(context: MemoryContext, countTokens: TokenCounter) {
  // Ingests of one thread in this process run one after another, so a second call waits for
  // the first and then reads only what is new; other processes are kept apart by the lease.
  const ingesting = new Map<string, Promise<unknown>>();
  const ingestInTurn = (input: ThreadAddress & IngestOptions): Promise<IngestReport> => {
    const key = JSON.stringify([input?.namespace, input?.threadId]);
    const previous = ingesting.get(key) ?? Promise.resolve();
    const run = previous.then(
      () => ingest(context, input, countTokens),
      () => ingest(context, input, countTokens),
    );
    const settled = run.catch(() => undefined);
    ingesting.set(key, settled);
    void settled.then(() => {
      if (ingesting.get(key) === settled) ingesting.delete(key);
    });
    return run;
  };

  const threads: Threads = {
    create: (input) => createThread(context, input),
    get: (address) => getThread(context, address),
    update: (input) => updateThread(context, input),
    delete: (address) => deleteThread(context, address),
    list: (options) => listThreads(context, options),
    clone: (input) => cloneThread(context, input),
  };
  const messages: Messages = {
    append: (input) => appendMessages(context, input),
    list: (options) => listMessages(context, options),
    get: (input) => getMessages(context, input),
    update: (input) => updateMessage(context, input),
    delete: (input) => deleteMessages(context, input),
  };
  const workingMemory: WorkingMemories = {
    get: (address) => getWorkingMemory(context, address),
    replace: (input) => replaceWorkingMemory(context, input),
    patch: (input) => patchWorkingMemory(context, input),
    delete: (address) => deleteWorkingMemory(context, address),
  };
  return { threads, messages, workingMemory, ingest: ingestInTurn };
}
