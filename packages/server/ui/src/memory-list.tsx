import { useEffect, useState } from "preact/hooks";
import { api, type Memory, pathOf, query } from "./api";

interface Filters {
  kinds: string;
  tags: string;
  pinned: string;
  createdAfter: string;
  createdBefore: string;
}

const NO_FILTERS: Filters = {
  kinds: "",
  tags: "",
  pinned: "",
  createdAfter: "",
  createdBefore: "",
};
const PAGE_SIZE = 50;

const isoOrUndefined = (value: string): string | undefined =>
  value ? new Date(value).toISOString() : undefined;

/** A page of memories in the selected subtree, newest first, with filters and paging. */
export function MemoryList(props: {
  within: string[];
  /** Bumped when something changed, to reload the page. */
  version: number;
  selectedId: string | undefined;
  onSelect: (memory: Memory) => void;
  onError: (error: unknown) => void;
}) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  // Cursors of the pages before the current one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ memories: Memory[]; nextCursor: string | null }>();

  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([undefined]), [pathOf(props.within), filters]);
  useEffect(() => {
    api<{ memories: Memory[]; nextCursor: string | null }>(
      "GET",
      `/v1/memories${query({
        within: pathOf(props.within),
        limit: String(PAGE_SIZE),
        cursor,
        kinds: filters.kinds.replace(/\s+/g, ""),
        tags: filters.tags.replace(/\s+/g, ""),
        pinned: filters.pinned,
        createdAfter: isoOrUndefined(filters.createdAfter),
        createdBefore: isoOrUndefined(filters.createdBefore),
      })}`,
    )
      .then(setPage)
      .catch(props.onError);
  }, [pathOf(props.within), filters, cursor, props.version]);

  const set = (name: keyof Filters) => (e: { currentTarget: HTMLInputElement }) =>
    setDraft({ ...draft, [name]: e.currentTarget.value });
  const field = (name: keyof Filters, placeholder: string) => (
    <input
      placeholder={placeholder}
      aria-label={placeholder}
      value={draft[name]}
      onInput={set(name)}
    />
  );
  const dateField = (name: keyof Filters, label: string) => (
    <input
      type="datetime-local"
      aria-label={label}
      title={label}
      value={draft[name]}
      onInput={set(name)}
    />
  );

  return (
    <section aria-label="Memories">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        {field("kinds", "kinds, comma-separated")}
        {field("tags", "tags, comma-separated")}
        <select
          aria-label="pinned"
          value={draft.pinned}
          onChange={(e) => setDraft({ ...draft, pinned: e.currentTarget.value })}
        >
          <option value="">pinned or not</option>
          <option value="true">pinned only</option>
          <option value="false">unpinned only</option>
        </select>
        {dateField("createdAfter", "created after")}
        {dateField("createdBefore", "created before")}
        <button type="submit">Filter</button>
      </form>
      {!page ? (
        <p class="muted">Loading…</p>
      ) : page.memories.length === 0 ? (
        <p class="muted">No memories here.</p>
      ) : (
        <ul class="memories" data-testid="memory-list">
          {page.memories.map((memory) => (
            <li key={memory.id}>
              <button
                type="button"
                class={`memory-row${memory.id === props.selectedId ? " selected" : ""}`}
                data-testid="memory-row"
                data-id={memory.id}
                onClick={() => props.onSelect(memory)}
              >
                <span class="kind">{memory.kind}</span>
                {memory.pinned && <span class="badge">pinned</span>}
                <span class="content">{memory.content}</span>
                <span class="muted">{memory.namespace.join("/")}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="pager">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Newer
        </button>
        <span class="muted">page {cursors.length}</span>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Older →
        </button>
      </div>
    </section>
  );
}
