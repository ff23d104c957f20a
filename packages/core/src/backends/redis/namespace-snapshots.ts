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
} from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { MemoryRecord } from "../../record/memory-record.js";
import { reviveRecord, serializeRecord } from "../../record/serialize.js";

/** A namespace smaller than this is read from Redis: that is fast enough, and nothing is saved. */
export const SNAPSHOT_MIN_RECORDS = 2048;

/** The layout of a saved namespace: a file of another layout is ignored (and read from Redis). */
const SNAPSHOT_FORMAT = "engram-namespace-1";

/**
 * How long saves wait after the last read of the cache: they run while the process is idle (or
 * on close), so recalls never share the loop with them. A process reads a namespace again after
 * every write by another process, and only the last read needs saving.
 */
const SAVE_AFTER_MS = 5_000;

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
  // Saves wait until the cache has not been read for `SAVE_AFTER_MS`, or for `flush`.
  const pending = new Map<string, { version: string; snapshot: NamespaceSnapshot }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The saves under way, one at a time.
  let writing: Promise<void> = Promise.resolve();
  // Per namespace, the version and vector file of the sidecar last read or written here, so a
  // save need not parse the whole previous sidecar to learn them.
  const known = new Map<string, { version: string; vectorFile: string }>();

  /** Starts writing the saves waiting; resolves once every save started so far is written. */
  function drain(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    writing = writing.then(async () => {
      for (const [namespace, { version, snapshot }] of batch)
        await write(namespace, version, snapshot);
    });
    return writing;
  }

  /**
   * Writes one namespace a slice at a time, yielding between slices: a namespace of 100k
   * memories written at once held the event loop for about a second (the recall that came
   * next waited for it), and its garbage slowed the recalls after.
   */
  async function write(
    namespace: string,
    version: string,
    snapshot: NamespaceSnapshot,
  ): Promise<void> {
    if (!directory) return;
    const base = baseName(namespace);
    const vectorFile = `${base}.${randomBytes(6).toString("hex")}.f32`;
    const sidecarPath = join(directory, `${base}.json`);
    const temporary = `${sidecarPath}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      const previous = known.get(namespace) ?? readSidecar(directory, namespace);
      if (previous?.version === version) return;
      const vectorIds = [...snapshot.vectors.keys()];
      const vectors = vectorIds.map((id) => snapshot.vectors.get(id)!);
      await writeFile(join(directory, vectorFile), async (put) => {
        for (let start = 0; start < vectors.length; start += WRITE_SLICE) {
          const slice = vectors.slice(start, start + WRITE_SLICE);
          const packed = new Float32Array(slice.reduce((sum, vector) => sum + vector.length, 0));
          let offset = 0;
          for (const vector of slice) {
            packed.set(vector, offset);
            offset += vector.length;
          }
          await put(new Uint8Array(packed.buffer));
        }
      });
      // The sidecar as one JSON object, its long arrays written a slice at a time.
      const { records } = snapshot;
      await writeFile(temporary, async (put) => {
        const field = (name: string, value: string) =>
          `${JSON.stringify(name)}:${JSON.stringify(value)}`;
        await put(
          `{${field("format", SNAPSHOT_FORMAT)},${field("namespace", namespace)},${field("version", version)},${field("vectorFile", vectorFile)}`,
        );
        // `item` gives each element as JSON text.
        const array = async (name: string, count: number, item: (at: number) => string) => {
          await put(`,${JSON.stringify(name)}:[`);
          for (let start = 0; start < count; start += WRITE_SLICE) {
            const items: string[] = [];
            for (let at = start; at < Math.min(count, start + WRITE_SLICE); at++)
              items.push(item(at));
            await put(`${start > 0 ? "," : ""}${items.join(",")}`);
          }
          await put("]");
        };
        await array("vectorIds", vectorIds.length, (at) => JSON.stringify(vectorIds[at]));
        await array("dimensions", vectors.length, (at) => String(vectors[at]!.length));
        await array("records", records.length, (at) => serializeRecord(records[at]!));
        await put("}");
      });
      renameSync(temporary, sidecarPath);
      known.set(namespace, { version, vectorFile });
      if (previous && previous.vectorFile !== vectorFile)
        rmSync(join(directory, previous.vectorFile), { force: true });
    } catch {
      // A cache that cannot be written (read-only or full disk) only costs a read later.
      rmSync(temporary, { force: true });
      rmSync(join(directory, vectorFile), { force: true });
    }
  }

  return {
    /** The namespace as saved under exactly this version token, or `undefined`. */
    load(namespace: string, version: string): NamespaceSnapshot | undefined {
      if (!directory || version === "") return undefined;
      const sidecar = readSidecar(directory, namespace);
      if (sidecar)
        known.set(namespace, { version: sidecar.version, vectorFile: sidecar.vectorFile });
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
        const records = sidecar.records.map(reviveRecord);
        return { records, vectors };
      } catch {
        return undefined;
      }
    },

    /**
     * Saves a namespace read under `version` (large ones only), once the cache has not been read
     * for `SAVE_AFTER_MS` (see `reading`) or on `flush`, a slice at a time: the vectors under a
     * fresh name, then the sidecar renamed into place (a reader sees the old pair or the new
     * one), then the old vector file removed. Only the last read of a namespace is saved.
     */
    save(namespace: string, version: string, snapshot: NamespaceSnapshot): void {
      if (!directory || version === "" || snapshot.records.length < SNAPSHOT_MIN_RECORDS) return;
      pending.set(namespace, { version, snapshot });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void drain(), SAVE_AFTER_MS);
      timer.unref?.();
    },

    /** The cache is being read: saves waiting wait `SAVE_AFTER_MS` more. */
    reading(): void {
      if (pending.size > 0) timer?.refresh();
    },

    /** Writes the saves still waiting and waits for those under way (on close). */
    flush: drain,
  };
}

/** Rows per slice of a snapshot's write: each slice is one write, then the loop runs again. */
const WRITE_SLICE = 256;

/** A new file (mode 0600) written by `fill`, piece by piece, each piece awaited. */
async function writeFile(
  path: string,
  fill: (put: (piece: Uint8Array | string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const file = await open(path, "w", 0o600);
  try {
    await fill(async (piece) => {
      // A write may take only part of what it is given.
      for (
        let bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
        bytes.byteLength > 0;
      )
        bytes = bytes.subarray((await file.write(bytes)).bytesWritten);
    });
  } finally {
    await file.close();
  }
}
