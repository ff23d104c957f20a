import { useState } from "preact/hooks";
import type { NamespaceCount } from "./api";

export interface TreeNode {
  name: string;
  path: string[];
  /** Memories in this exact namespace. */
  own: number;
  /** Memories in this namespace and beneath it, by kind. */
  counts: Record<string, number>;
  total: number;
  children: TreeNode[];
}

/** Folds the flat namespace counts into a tree whose nodes sum their subtree. */
export function buildTree(rows: readonly NamespaceCount[]): TreeNode {
  const root: TreeNode = { name: "(root)", path: [], own: 0, counts: {}, total: 0, children: [] };
  for (const row of rows) {
    let node = root;
    const visit = (target: TreeNode) => {
      target.total += row.total;
      for (const [kind, count] of Object.entries(row.kinds)) {
        target.counts[kind] = (target.counts[kind] ?? 0) + count;
      }
    };
    visit(node);
    row.namespace.forEach((segment, index) => {
      let child = node.children.find((candidate) => candidate.name === segment);
      if (!child) {
        child = {
          name: segment,
          path: row.namespace.slice(0, index + 1),
          own: 0,
          counts: {},
          total: 0,
          children: [],
        };
        node.children.push(child);
      }
      node = child;
      visit(node);
    });
    node.own += row.total;
  }
  return root;
}

const kindSummary = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind} ${count}`)
    .join(" · ");

function Node(props: {
  node: TreeNode;
  selected: string;
  onSelect: (path: string[]) => void;
  depth: number;
}) {
  const { node, selected, onSelect, depth } = props;
  const [open, setOpen] = useState(depth < 2);
  const path = node.path.join("/");
  return (
    <li>
      <div
        class={`tree-row${selected === path ? " selected" : ""}`}
        data-testid="tree-node"
        data-path={path}
        title={kindSummary(node.counts)}
      >
        {node.children.length > 0 ? (
          <button type="button" class="twisty" onClick={() => setOpen(!open)} aria-label="toggle">
            {open ? "▾" : "▸"}
          </button>
        ) : (
          <span class="twisty" />
        )}
        <button type="button" class="tree-name" onClick={() => onSelect(node.path)}>
          {node.name}
        </button>
        <span class="count" data-testid="tree-count">
          {node.total}
        </span>
      </div>
      {open && node.children.length > 0 && (
        <ul>
          {node.children
            .slice()
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((child) => (
              <Node
                key={child.name}
                node={child}
                selected={selected}
                onSelect={onSelect}
                depth={depth + 1}
              />
            ))}
        </ul>
      )}
    </li>
  );
}

/** The namespace tree under the key's root; picking a node scopes the other panels. */
export function NamespaceTree(props: {
  root: TreeNode;
  selected: string[];
  onSelect: (path: string[]) => void;
}) {
  return (
    <nav class="tree" aria-label="Namespaces">
      <ul>
        <Node
          node={props.root}
          selected={props.selected.join("/")}
          onSelect={props.onSelect}
          depth={0}
        />
      </ul>
    </nav>
  );
}
