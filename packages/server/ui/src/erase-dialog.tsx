import { useState } from "preact/hooks";
import { api } from "./api";

/** Erasing a subtree asks the user to type its path, and says how many memories go. */
export function EraseDialog(props: {
  path: string[];
  count: number;
  onDone: (erased: number) => void;
  onCancel: () => void;
  onError: (error: unknown) => void;
}) {
  const [typed, setTyped] = useState("");
  const target = props.path.join("/");
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-label="Erase subtree">
      <form
        class="dialog"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const result = await api<{ deleted: number }>("POST", "/v1/erase", {
              namespace: props.path,
            });
            props.onDone(result.deleted);
          } catch (error) {
            props.onError(error);
          }
        }}
      >
        <h2>Erase {target}?</h2>
        <p data-testid="erase-count">
          This permanently deletes <strong>{props.count}</strong> memories in <code>{target}</code>{" "}
          and everything beneath it, with their history, threads and working memory.
        </p>
        <label>
          Type <code>{target}</code> to confirm
          <input
            aria-label="confirm path"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={typed !== target}>
            Erase
          </button>
        </div>
      </form>
    </div>
  );
}
