import type { Namespace } from "../namespace/namespace.js";

/** The built-in kinds. Any other lowercase identifier is a custom kind. */
export type BuiltInKind = "preference" | "fact" | "episode" | "task" | "feedback";
/** A built-in kind or a custom one (`"decision"`, `"tool-result"`, ...). */
export type MemoryKind = BuiltInKind | (string & {});

/** Any JSON value. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
/** A JSON object, as memory metadata. */
export type JsonObject = { [key: string]: JsonValue };

/** One stored memory. Dates are `Date`s; absent optional fields are `undefined`. */
export interface MemoryRecord {
  /** Time-ordered (UUIDv7): sorting ids sorts by creation time. */
  id: string;
  namespace: Namespace;
  content: string;
  kind: MemoryKind;
  /** A stable caller-chosen key: remembering the same key in the same namespace updates in place. */
  key: string | undefined;
  metadata: JsonObject;
  tags: string[];
  /** 0..1; 0.5 unless given. */
  importance: number;
  pinned: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastAccessedAt: Date | undefined;
  accessCount: number;
  expiresAt: Date | undefined;
  /** SHA-256 of the content, hex. */
  contentHash: string;
  /** Which model embedded the content, and the vector's length. */
  embedding: { model: string; dimensions: number };
}

/** A record together with its vector, as backends store it. The vector is unit length. */
export interface StoredMemory extends MemoryRecord {
  vector: Float32Array;
}
