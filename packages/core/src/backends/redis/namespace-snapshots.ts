import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { MemoryRecord } from "../../record/memory-record.js";

/** A namespace smaller than this is read from Redis: that is fast enough, and nothing is saved. */
export const SNAPSHOT_MIN_RECORDS = 2048;

/** The layout of a saved namespace: a file of another layout is ignored (and read from Redis). */
const SNAPSHOT_FORMAT = "engram-namespace-1";

/**
 * One namespace as read from Redis under one version token: its records as stored (without the
 * uses counted in their access hashes, which are read afresh) and its vectors.
 */
export interface NamespaceSnapshot {
  records: MemoryRecord[];
  vectors: Map<string, Float32Array>;
}

interface Sidecar {
  format: string;
  namespace: string;
  version: string;
  /** Serialized records (`serializeRecord` layout, as objects). */
  records: Record<string, unknown>[];
  /** Ids whose vector is a row of the vector file, in row order, and each row's length. */
  vectorIds: string[];
  dimensions: number[];
  vectorFile: string;
}

const date = (millis: unknown) => (typeof millis === "number" ? new Date(millis) : undefined);

// The inverse of the record layout `save` writes (that of `serializeRecord`), in place: the
// object is fresh from JSON.parse, and a copy of each of 100k records costs a reopen its time.
function revive(raw: Record<string, unknown>): MemoryRecord {
  raw.key = (raw.key as string | undefined) ?? undefined;
  raw.createdAt = new Date(raw.createdAt as number);
  raw.updatedAt = new Date(raw.updatedAt as number);
  raw.lastAccessedAt = date(raw.lastAccessedAt);
  raw.expiresAt = date(raw.expiresAt);
  return raw as unknown as MemoryRecord;
}

function baseName(namespace: string): string {
  return `ns-${createHash("sha256").update(namespace).digest("hex").slice(0, 32)}`;
}

function readSidecar(directory: string, namespace: string): Sidecar | undefined {
  try {
    const sidecar = JSON.parse(
      readFileSync(join(directory, `${baseName(namespace)}.json`), "utf8"),
    ) as Sidecar;
    return sidecar.format === SNAPSHOT_FORMAT &&
      sidecar.namespace === namespace &&
      typeof sidecar.vectorFile === "string" &&
      !sidecar.vectorFile.includes("/")
      ? sidecar
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plain mode's namespaces saved between runs, beside the saved graphs: a reopened backend
 * whose namespace still carries the version token it was saved under loads it from disk
 * instead of reading every record from Redis.
 *
 * Why that is never stale: every write to a namespace sets a fresh random token in its
 * MULTI/EXEC, and erasing deletes it, so a token that matches means no write, update, forget
 * or erase since the namespace was read. A read that a write overtook carries the token from
 * before that write, which Redis will never hold again. What changes without a token: expiry
 * (records carry `expiresAt`, checked at every read, as for the in-process cache) and uses
 * (access hashes), which the caller reads afresh.
 */
export function namespaceSnapshots(directory: string | undefined) {
  // Saves wait for the event loop to be idle (a read's caller comes first), or for `flush`.
  const pending = new Map<string, { version: string; snapshot: NamespaceSnapshot }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const [namespace, { version, snapshot }] of pending) write(namespace, version, snapshot);
    pending.clear();
  }

  function write(namespace: string, version: string, snapshot: NamespaceSnapshot): void {
    if (!directory) return;
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      const base = baseName(namespace);
      const previous = readSidecar(directory, namespace);
      if (previous?.version === version) return;
      const vectorIds = [...snapshot.vectors.keys()];
      const dimensions = vectorIds.map((id) => snapshot.vectors.get(id)!.length);
      const packed = new Float32Array(dimensions.reduce((sum, length) => sum + length, 0));
      let offset = 0;
      for (const id of vectorIds) {
        const vector = snapshot.vectors.get(id)!;
        packed.set(vector, offset);
        offset += vector.length;
      }
      const vectorFile = `${base}.${randomBytes(6).toString("hex")}.f32`;
      writeFileSync(join(directory, vectorFile), new Uint8Array(packed.buffer), { mode: 0o600 });
      const sidecar: Sidecar = {
        format: SNAPSHOT_FORMAT,
        namespace,
        version,
        records: snapshot.records.map((record) => ({
          ...record,
          createdAt: record.createdAt.getTime(),
          updatedAt: record.updatedAt.getTime(),
          lastAccessedAt: record.lastAccessedAt?.getTime(),
          expiresAt: record.expiresAt?.getTime(),
        })),
        vectorIds,
        dimensions,
        vectorFile,
      };
      const sidecarPath = join(directory, `${base}.json`);
      const temporary = `${sidecarPath}.${randomBytes(6).toString("hex")}.tmp`;
      writeFileSync(temporary, JSON.stringify(sidecar), { mode: 0o600 });
      renameSync(temporary, sidecarPath);
      if (previous && previous.vectorFile !== vectorFile)
        rmSync(join(directory, previous.vectorFile), { force: true });
    } catch {
      // A cache that cannot be written (read-only or full disk) only costs a read later.
    }
  }

  return {
    /** The namespace as saved under exactly this version token, or `undefined`. */
    load(namespace: string, version: string): NamespaceSnapshot | undefined {
      if (!directory || version === "") return undefined;
      const sidecar = readSidecar(directory, namespace);
      if (!sidecar || sidecar.version !== version) return undefined;
      try {
        const total = sidecar.dimensions.reduce((sum, length) => sum + length, 0);
        if (sidecar.vectorIds.length !== sidecar.dimensions.length) return undefined;
        // Read straight into one aligned array (no second copy); each vector is a view into it.
        const packed = new Float32Array(total);
        const file = openSync(join(directory, sidecar.vectorFile), "r");
        try {
          if (fstatSync(file).size !== total * 4) return undefined;
          const bytes = new Uint8Array(packed.buffer);
          for (let read = 0; read < bytes.byteLength; ) {
            const count = readSync(file, bytes, read, bytes.byteLength - read, read);
            if (count === 0) return undefined;
            read += count;
          }
        } finally {
          closeSync(file);
        }
        const vectors = new Map<string, Float32Array>();
        let offset = 0;
        sidecar.vectorIds.forEach((id, row) => {
          const length = sidecar.dimensions[row]!;
          vectors.set(id, packed.subarray(offset, offset + length));
          offset += length;
        });
        const records = sidecar.records.map(revive);
        return { records, vectors };
      } catch {
        return undefined;
      }
    },

    /**
     * Saves a namespace read under `version` (large ones only), once the event loop is idle or
     * on `flush`: the vectors under a fresh name, then the sidecar renamed into place (a reader
     * sees the old pair or the new one), then the old vector file removed.
     */
    save(namespace: string, version: string, snapshot: NamespaceSnapshot): void {
      if (!directory || version === "" || snapshot.records.length < SNAPSHOT_MIN_RECORDS) return;
      pending.set(namespace, { version, snapshot });
      timer ??= setTimeout(flush, 0);
      timer.unref?.();
    },

    /** Writes the saves still waiting (on close). */
    flush,
  };
}
