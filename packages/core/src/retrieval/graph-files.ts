import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { HnswGraph } from "./hnsw-graph.js";
import { HNSW_CONNECTIVITY, HNSW_EXPANSION_ADD, HNSW_EXPANSION_SEARCH } from "./hnsw-graph.js";

/**
 * What a saved graph was built with: a file written under other settings (or another layout
 * of this sidecar) is ignored and the graph built again.
 */
const GRAPH_FORMAT = `engram-hnsw-2/i8/ip/${HNSW_CONNECTIVITY}/${HNSW_EXPANSION_ADD}/${HNSW_EXPANSION_SEARCH}`;

/** Beside each saved graph: which key each node label stands for, and its vector's checksum. */
export interface GraphNodes<K> {
  keys: K[];
  labels: number[];
  sums: number[];
}

interface Sidecar<K> extends GraphNodes<K> {
  format: string;
  dimensions: number;
  graph: string;
}

/**
 * Where saved graphs of one store go by default: a directory per store under the user's cache
 * (`$XDG_CACHE_HOME` or `~/.cache`), named by a hash of what identifies the store.
 */
export function defaultGraphDirectory(identity: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const name = createHash("sha256").update(identity).digest("hex").slice(0, 24);
  return join(base, "engram", "vector-index", name);
}

function fileName(partition: string): string {
  return createHash("sha256").update(partition).digest("hex").slice(0, 32);
}

/**
 * Saves a partition's graph: the graph under a fresh name, then its sidecar renamed into place
 * (so a reader sees an old pair or a new one, never half of each), then the old graph removed.
 */
export function saveGraph<K>(
  directory: string,
  partition: string,
  dimensions: number,
  graph: HnswGraph,
  nodes: GraphNodes<K>,
): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const base = fileName(partition);
  const graphName = `${base}.${randomBytes(6).toString("hex")}.usearch`;
  const sidecarPath = join(directory, `${base}.json`);
  const previous = readSidecar<K>(directory, partition);
  graph.save(join(directory, graphName));
  const sidecar: Sidecar<K> = { format: GRAPH_FORMAT, dimensions, graph: graphName, ...nodes };
  const temporary = `${sidecarPath}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporary, JSON.stringify(sidecar), { mode: 0o600 });
  renameSync(temporary, sidecarPath);
  if (previous && previous.graph !== graphName)
    rmSync(join(directory, previous.graph), { force: true });
}

function readSidecar<K>(directory: string, partition: string): Sidecar<K> | undefined {
  try {
    const sidecar = JSON.parse(
      readFileSync(join(directory, `${fileName(partition)}.json`), "utf8"),
    ) as Sidecar<K>;
    return typeof sidecar.graph === "string" && !sidecar.graph.includes("/") ? sidecar : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads a partition's saved graph into `graph` and returns its nodes, or `undefined` when there
 * is none usable (missing, written by other settings, or unreadable: then it is built anew).
 */
export function loadGraph<K>(
  directory: string,
  partition: string,
  dimensions: number,
  graph: HnswGraph,
): GraphNodes<K> | undefined {
  const sidecar = readSidecar<K>(directory, partition);
  if (!sidecar || sidecar.format !== GRAPH_FORMAT || sidecar.dimensions !== dimensions)
    return undefined;
  const { keys, labels, sums } = sidecar;
  if (!Array.isArray(keys) || keys.length !== labels?.length || keys.length !== sums?.length)
    return undefined;
  try {
    graph.load(join(directory, sidecar.graph));
  } catch {
    return undefined;
  }
  return { keys, labels, sums };
}
