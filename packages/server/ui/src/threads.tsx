import { useEffect, useState } from "preact/hooks";
import { api, pathOf, query } from "./api";

interface Thread {
  id: string;
  namespace: string[];
  title: string | null;
  updatedAt: string;
  messageCount: number;
  summary: { text: string } | null;
}

interface Message {
  id: string;
  role: string;
  content: string | { type: string; text?: string }[];
  createdAt: string;
}

interface WorkingMemory {
  content: unknown;
  version: number;
  updatedAt: string;
}

const textOf = (content: Message["content"]): string =>
  typeof content === "string"
    ? content
    : content.map((part) => part.text ?? `[${part.type}]`).join(" ");

/** A working memory document, or a note that there is none (a 404 is not an error here). */
function WorkingMemoryView(props: { namespace: string[]; threadId?: string }) {
  const [document, setDocument] = useState<WorkingMemory | null>();
  useEffect(() => {
    api<WorkingMemory>(
      "GET",
      `/v1/working-memory${query({ namespace: pathOf(props.namespace), threadId: props.threadId })}`,
    )
      .then(setDocument)
      .catch(() => setDocument(null));
  }, [pathOf(props.namespace), props.threadId]);
  if (document === undefined) return null;
  if (document === null) return <p class="muted">No working memory.</p>;
  return (
    <div data-testid="working-memory">
      <p class="muted">
        version {document.version}, updated {new Date(document.updatedAt).toLocaleString()}
      </p>
      <pre class="context">
        {typeof document.content === "string"
          ? document.content
          : JSON.stringify(document.content, null, 2)}
      </pre>
    </div>
  );
}

function ThreadView(props: { thread: Thread; onError: (error: unknown) => void }) {
  const { thread } = props;
  const [messages, setMessages] = useState<Message[]>();
  useEffect(() => {
    api<{ messages: Message[] }>(
      "GET",
      `/v1/threads/${encodeURIComponent(thread.id)}/messages${query({
        namespace: pathOf(thread.namespace),
        last: "50",
      })}`,
    )
      .then((answer) => setMessages(answer.messages))
      .catch(props.onError);
  }, [thread.id, pathOf(thread.namespace)]);
  return (
    <div class="thread" data-testid="thread-view">
      <h3>{thread.title ?? thread.id}</h3>
      {thread.summary && (
        <p>
          <strong>Summary</strong> {thread.summary.text}
        </p>
      )}
      <h4>Working memory</h4>
      <WorkingMemoryView namespace={thread.namespace} threadId={thread.id} />
      <h4>Last {messages?.length ?? 0} messages</h4>
      <ol class="messages">
        {messages?.map((message) => (
          <li key={message.id} data-testid="message">
            <span class="kind">{message.role}</span> {textOf(message.content)}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Threads in the selected subtree, newest activity first, and the namespace's working memory. */
export function ThreadsPanel(props: { within: string[]; onError: (error: unknown) => void }) {
  const [threads, setThreads] = useState<Thread[]>();
  const [open, setOpen] = useState<Thread>();
  useEffect(() => {
    setOpen(undefined);
    api<{ threads: Thread[] }>(
      "GET",
      `/v1/threads${query({ within: pathOf(props.within), limit: "50" })}`,
    )
      .then((answer) => setThreads(answer.threads))
      .catch(props.onError);
  }, [pathOf(props.within)]);
  return (
    <section aria-label="Threads">
      {props.within.length > 0 && (
        <>
          <h4>Working memory of {pathOf(props.within)}</h4>
          <WorkingMemoryView namespace={props.within} />
        </>
      )}
      {threads && threads.length === 0 && <p class="muted">No threads here.</p>}
      <ul class="memories">
        {threads?.map((thread) => (
          <li key={`${pathOf(thread.namespace)}/${thread.id}`}>
            <button
              type="button"
              class="memory-row"
              data-testid="thread-row"
              onClick={() => setOpen(thread)}
            >
              <span class="kind">{thread.messageCount} msgs</span>
              <span class="content">{thread.title ?? thread.id}</span>
              <span class="muted">{pathOf(thread.namespace)}</span>
            </button>
          </li>
        ))}
      </ul>
      {open && <ThreadView thread={open} onError={props.onError} />}
    </section>
  );
}
