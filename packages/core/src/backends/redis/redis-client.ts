/** The parts of a node-redis (v5) client the backend uses; a real client fits structurally. */
export interface RedisClientLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: "error" | "ready", listener: (error: Error) => void): unknown;
  sendCommand(
    args: readonly (string | Buffer)[],
    options?: { typeMapping?: Record<number, unknown> },
  ): Promise<unknown>;
  /** A new connection with the same options; ours ask for RESP2 replies. */
  duplicate(overrides?: { RESP?: 2 | 3 }): RedisClientLike;
  watch(keys: string | string[]): Promise<unknown>;
  multi(): RedisMultiLike;
}

export interface RedisMultiLike {
  addCommand(args: (string | Buffer)[]): unknown;
  exec(): Promise<unknown>;
}

/** Asks node-redis for bulk strings as Buffers (RESP type 36), for packed vectors. */
export const AS_BUFFERS = { typeMapping: { 36: Buffer } };
