import { useState } from "preact/hooks";
import { api, type Memory } from "./api";

/** The score components `explain` reports, in the order the bars show them. */
export const COMPONENTS = [
  "semantic",
  "keyword",
  "recency",
  "importance",
  "pinned",
  "access",
] as const;

function ScoreBars(props: { explain: Record<string, number> }) {
  return (
    <div class="bars" data-testid="score-bars">
      {COMPONENTS.filter((name) => props.explain[name] !== undefined).map((name) => {
        const value = props.explain[name] ?? 0;
        return (
          <div class="bar" key={name} data-component={name} title={`${name} ${value.toFixed(3)}`}>
            <span class="bar-label">{name}</span>
            <span class="bar-track">
              <span class={`bar-fill ${name}`} style={{ width: `${Math.round(value * 100)}%` }} />
            </span>
            <span class="bar-value">{value.toFixed(2)}</span>
          </div>
        );
      })}
    </div>
  );
}

const scopeBody = (within: string[]) => (within.length > 0 ? { within } : {});
const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** Recall with explain: each result's score split into bars. */
export function SearchPanel(props: {
  within: string[];
  onSelect: (memory: Memory) => void;
  onError: (error: unknown) => void;
}) {
  const [text, setText] = useState("");
  const [mode, setMode] = useState("hybrid");
  const [kinds, setKinds] = useState("");
  const [tags, setTags] = useState("");
  const [results, setResults] = useState<Memory[]>();

  const run = async () => {
    if (!text.trim()) return;
    try {
      const body: Record<string, unknown> = {
        ...scopeBody(props.within),
        query: text,
        mode,
        limit: 20,
        explain: true,
      };
      if (kinds) body.kinds = list(kinds);
      if (tags) body.tags = list(tags);
      setResults((await api<{ memories: Memory[] }>("POST", "/v1/search", body)).memories);
    } catch (error) {
      props.onError(error);
    }
  };
  const togglePin = async (memory: Memory) => {
    try {
      await api("PATCH", `/v1/memories/${encodeURIComponent(memory.id)}`, {
        pinned: !memory.pinned,
      });
      await run();
    } catch (error) {
      props.onError(error);
    }
  };

  return (
    <section aria-label="Search">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <input
          class="grow"
          placeholder="What should the agent recall?"
          aria-label="query"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <select aria-label="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
          <option value="hybrid">hybrid</option>
          <option value="semantic">semantic</option>
          <option value="keyword">keyword</option>
        </select>
        <input
          placeholder="kinds"
          aria-label="search kinds"
          value={kinds}
          onInput={(e) => setKinds(e.currentTarget.value)}
        />
        <input
          placeholder="tags"
          aria-label="search tags"
          value={tags}
          onInput={(e) => setTags(e.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      {results && results.length === 0 && <p class="muted">Nothing recalled.</p>}
      <ol class="results" data-testid="results">
        {results?.map((memory) => (
          <li key={memory.id} class="result" data-testid="result" data-id={memory.id}>
            <div class="result-head">
              {memory.pinned && <span class="badge">pinned</span>}
              <span class="score" data-testid="score">
                {(memory.score ?? 0).toFixed(3)}
              </span>
              <button type="button" class="link" onClick={() => props.onSelect(memory)}>
                {memory.content}
              </button>
              <button
                type="button"
                data-testid="pin"
                onClick={() => void togglePin(memory)}
                title={memory.pinned ? "Unpin" : "Pin"}
              >
                {memory.pinned ? "Unpin" : "Pin"}
              </button>
            </div>
            {memory.explain && <ScoreBars explain={memory.explain} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** What `context()` would hand a model, with its token count. */
export function ContextPanel(props: { within: string[]; onError: (error: unknown) => void }) {
  const [text, setText] = useState("");
  const [maxTokens, setMaxTokens] = useState("500");
  const [block, setBlock] = useState<{ text: string; tokens: number; memories: Memory[] }>();
  const run = async () => {
    try {
      setBlock(
        await api("POST", "/v1/context", {
          ...scopeBody(props.within),
          query: text,
          maxTokens: Number(maxTokens),
        }),
      );
    } catch (error) {
      props.onError(error);
    }
  };
  return (
    <section aria-label="Context preview">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <input
          class="grow"
          placeholder="Query for the context block"
          aria-label="context query"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <label>
          max tokens
          <input
            type="number"
            min="0"
            value={maxTokens}
            onInput={(e) => setMaxTokens(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Preview</button>
      </form>
      {block && (
        <>
          <p data-testid="context-tokens">
            {block.tokens} tokens · {block.memories.length} memories
          </p>
          <pre class="context" data-testid="context-text">
            {block.text || "(empty)"}
          </pre>
        </>
      )}
    </section>
  );
}
