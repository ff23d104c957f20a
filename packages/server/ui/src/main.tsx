import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import {
  ApiError,
  api,
  followEvents,
  type Memory,
  type MemoryEvent,
  type NamespaceCount,
  savedKey,
  saveKey,
} from "./api";
import { EraseDialog } from "./erase-dialog";
import { MemoryDetail } from "./memory-detail";
import { MemoryList } from "./memory-list";
import { ContextPanel, SearchPanel } from "./search";
import { ThreadsPanel } from "./threads";
import { buildTree, NamespaceTree, type TreeNode } from "./tree";

type Tab = "memories" | "search" | "context" | "threads" | "live";

function findNode(root: TreeNode, path: readonly string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const segment of path) node = node?.children.find((child) => child.name === segment);
  return node;
}

function KeyForm(props: { message: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState("");
  return (
    <form
      class="login"
      onSubmit={(event) => {
        event.preventDefault();
        props.onKey(key.trim());
      }}
    >
      <h1>Engram inspector</h1>
      <p>{props.message}</p>
      <label>
        API key
        <input
          type="password"
          autocomplete="off"
          aria-label="API key"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Open</button>
      <p class="muted">The key stays in this tab (sessionStorage) and is never put in a URL.</p>
    </form>
  );
}

function App() {
  const [auth, setAuth] = useState<"checking" | "needed" | "ok">("checking");
  const [authMessage, setAuthMessage] = useState("Enter an API key (engram keys create).");
  const [tree, setTree] = useState<{ root: TreeNode }>();
  const [selected, setSelected] = useState<string[]>([]);
  const [tab, setTab] = useState<Tab>("memories");
  const [memory, setMemory] = useState<Memory>();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string>();
  const [erasing, setErasing] = useState(false);
  const [events, setEvents] = useState<MemoryEvent[]>([]);
  const [live, setLive] = useState(false);

  const onError = useCallback((thrown: unknown) => {
    if (thrown instanceof ApiError && thrown.status === 401) {
      saveKey("");
      setAuthMessage(thrown.message);
      setAuth("needed");
      return;
    }
    setError(thrown instanceof Error ? thrown.message : String(thrown));
  }, []);

  const loadTree = useCallback(async () => {
    try {
      const answer = await api<{ namespaces: NamespaceCount[] }>("GET", "/v1/namespaces");
      setTree({ root: buildTree(answer.namespaces) });
      setAuth("ok");
    } catch (thrown) {
      onError(thrown);
    }
  }, [onError]);

  useEffect(() => void loadTree(), [loadTree]);
  useEffect(() => {
    if (auth !== "ok") return;
    return followEvents(
      (event) => setEvents((previous) => [event, ...previous].slice(0, 200)),
      setLive,
    );
  }, [auth]);

  const changed = (next: Memory | undefined) => {
    setMemory(next);
    setVersion(version + 1);
    void loadTree();
  };

  if (auth === "checking") return <p class="muted">Connecting…</p>;
  if (auth === "needed") {
    return (
      <KeyForm
        message={authMessage}
        onKey={(key) => {
          saveKey(key);
          setAuth("checking");
          void loadTree();
        }}
      />
    );
  }
  const node = tree ? findNode(tree.root, selected) : undefined;
  const tabs: Tab[] = ["memories", "search", "context", "threads", "live"];

  return (
    <div class="app">
      <header>
        <h1>Engram inspector</h1>
        <span class={`live ${live ? "on" : "off"}`} data-testid="live-state">
          {live ? "● live" : "○ offline"}
        </span>
        {savedKey() && (
          <button
            type="button"
            onClick={() => {
              saveKey("");
              setAuth("needed");
            }}
          >
            Sign out
          </button>
        )}
        <a href="/openapi.json">API</a>
      </header>
      {error && (
        <div class="error" role="alert">
          {error}{" "}
          <button type="button" onClick={() => setError(undefined)}>
            ×
          </button>
        </div>
      )}
      <aside>
        {tree && (
          <NamespaceTree
            root={tree.root}
            selected={selected}
            onSelect={(path) => {
              setSelected(path);
              setMemory(undefined);
            }}
          />
        )}
      </aside>
      <main>
        <div class="scope">
          <strong data-testid="scope">{selected.join("/") || "(root)"}</strong>
          {node && (
            <span class="muted">
              {" "}
              {node.total} memories
              {Object.entries(node.counts).map(([kind, count]) => ` · ${kind} ${count}`)}
            </span>
          )}
          {selected.length > 0 && (
            <button type="button" class="danger" onClick={() => setErasing(true)}>
              Erase subtree…
            </button>
          )}
        </div>
        <div class="tabs" role="tablist">
          {tabs.map((name) => (
            <button
              type="button"
              role="tab"
              key={name}
              aria-selected={tab === name}
              onClick={() => setTab(name)}
            >
              {name}
              {name === "live" && events.length > 0 && ` (${events.length})`}
            </button>
          ))}
        </div>
        {tab === "memories" && (
          <MemoryList
            within={selected}
            version={version}
            selectedId={memory?.id}
            onSelect={setMemory}
            onError={onError}
          />
        )}
        {tab === "search" && (
          <SearchPanel within={selected} onSelect={setMemory} onError={onError} />
        )}
        {tab === "context" && <ContextPanel within={selected} onError={onError} />}
        {tab === "threads" && <ThreadsPanel within={selected} onError={onError} />}
        {tab === "live" && (
          <ul class="events" data-testid="events">
            {events.length === 0 && <li class="muted">Waiting for changes…</li>}
            {events.map((event) => (
              <li key={event.id}>
                <time>{new Date(event.at).toLocaleTimeString()}</time> <strong>{event.type}</strong>{" "}
                {event.kind} <code>{event.memoryId}</code> in {event.namespace.join("/")}
              </li>
            ))}
          </ul>
        )}
      </main>
      {memory && (
        <MemoryDetail key={memory.id} memory={memory} onChanged={changed} onError={onError} />
      )}
      {erasing && (
        <EraseDialog
          path={selected}
          count={node?.total ?? 0}
          onCancel={() => setErasing(false)}
          onError={onError}
          onDone={() => {
            setErasing(false);
            setSelected(selected.slice(0, -1));
            changed(undefined);
          }}
        />
      )}
    </div>
  );
}

render(<App />, document.getElementById("app")!);
