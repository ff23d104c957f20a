import { useEffect, useState } from "preact/hooks";
import { api, type HistoryEntry, type Memory } from "./api";
import { changesOf } from "./diff";

function timeLeft(expiresAt: string | null): string {
  if (!expiresAt) return "never expires";
  const ms = new Date(expiresAt).getTime() - Date.now();
  if (ms <= 0) return "expired";
  const hours = ms / 3_600_000;
  return hours < 48
    ? `expires in ${hours.toFixed(1)} h`
    : `expires in ${(hours / 24).toFixed(1)} days`;
}

function History(props: { id: string; version: string }) {
  const [entries, setEntries] = useState<HistoryEntry[] | undefined>();
  useEffect(() => {
    api<{ entries: HistoryEntry[] }>("GET", `/v1/memories/${encodeURIComponent(props.id)}/history`)
      .then((answer) => setEntries(answer.entries))
      .catch(() => setEntries([]));
  }, [props.id, props.version]);
  if (!entries) return <p class="muted">Loading history…</p>;
  return (
    <ol class="history" data-testid="history">
      {entries.map((entry) => (
        <li key={entry.at + entry.action}>
          <strong>{entry.action}</strong> <time>{new Date(entry.at).toLocaleString()}</time>
          <table>
            <tbody>
              {changesOf(entry).map((change) => (
                <tr key={change.field}>
                  <th>{change.field}</th>
                  <td>{change.before && <del>{change.before}</del>}</td>
                  <td>{change.after && <ins>{change.after}</ins>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </li>
      ))}
    </ol>
  );
}

/** One memory: its fields, TTL, use, history, and the edit, pin and forget actions. */
export function MemoryDetail(props: {
  memory: Memory;
  onChanged: (memory: Memory | undefined) => void;
  onError: (error: unknown) => void;
}) {
  const { memory } = props;
  const [content, setContent] = useState(memory.content);
  const [kind, setKind] = useState(memory.kind);
  const [tags, setTags] = useState(memory.tags.join(", "));
  const [importance, setImportance] = useState(String(memory.importance));
  useEffect(() => {
    setContent(memory.content);
    setKind(memory.kind);
    setTags(memory.tags.join(", "));
    setImportance(String(memory.importance));
  }, [memory.id, memory.updatedAt]);

  const patch = async (body: Record<string, unknown>) => {
    try {
      props.onChanged(
        await api<Memory>("PATCH", `/v1/memories/${encodeURIComponent(memory.id)}`, body),
      );
    } catch (error) {
      props.onError(error);
    }
  };
  const forget = async () => {
    if (!window.confirm("Forget this memory?")) return;
    try {
      await api("DELETE", `/v1/memories/${encodeURIComponent(memory.id)}`);
      props.onChanged(undefined);
    } catch (error) {
      props.onError(error);
    }
  };

  return (
    <section class="detail" data-testid="memory-detail" aria-label="Memory">
      <h2>
        {memory.pinned && <span class="badge">pinned</span>}
        {memory.kind} <code>{memory.id}</code>
      </h2>
      <dl class="fields">
        <dt>namespace</dt>
        <dd>{memory.namespace.join("/") || "(root)"}</dd>
        <dt>key</dt>
        <dd>{memory.key ?? "—"}</dd>
        <dt>tags</dt>
        <dd>{memory.tags.join(", ") || "—"}</dd>
        <dt>importance</dt>
        <dd>{memory.importance}</dd>
        <dt>created</dt>
        <dd>{new Date(memory.createdAt).toLocaleString()}</dd>
        <dt>updated</dt>
        <dd>{new Date(memory.updatedAt).toLocaleString()}</dd>
        <dt>TTL</dt>
        <dd>{timeLeft(memory.expiresAt)}</dd>
        <dt>access</dt>
        <dd data-testid="access-count">
          recalled {memory.accessCount}×
          {memory.lastAccessedAt && `, last ${new Date(memory.lastAccessedAt).toLocaleString()}`}
        </dd>
        <dt>metadata</dt>
        <dd>
          <code>{JSON.stringify(memory.metadata)}</code>
        </dd>
        <dt>embedding</dt>
        <dd>
          {memory.embedding.model} ({memory.embedding.dimensions})
        </dd>
      </dl>
      <form
        class="edit"
        onSubmit={(event) => {
          event.preventDefault();
          void patch({
            content,
            kind,
            tags: tags
              .split(",")
              .map((tag) => tag.trim())
              .filter(Boolean),
            importance: Number(importance),
          });
        }}
      >
        <label>
          content
          <textarea value={content} rows={3} onInput={(e) => setContent(e.currentTarget.value)} />
        </label>
        <label>
          kind <input value={kind} onInput={(e) => setKind(e.currentTarget.value)} />
        </label>
        <label>
          tags <input value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
        </label>
        <label>
          importance
          <input
            type="number"
            min="0"
            max="1"
            step="0.05"
            value={importance}
            onInput={(e) => setImportance(e.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="submit">Save</button>
          <button type="button" onClick={() => void patch({ pinned: !memory.pinned })}>
            {memory.pinned ? "Unpin" : "Pin"}
          </button>
          <button type="button" class="danger" onClick={() => void forget()}>
            Forget
          </button>
        </div>
      </form>
      <h3>History</h3>
      <History id={memory.id} version={memory.updatedAt} />
    </section>
  );
}
