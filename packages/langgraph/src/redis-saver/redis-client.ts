/** The parts of a node-redis (v5 or v6) client the saver uses; a real client fits structurally. */
export interface RedisClientLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
  sendCommand(
    args: readonly (string | Buffer)[],
    options?: { typeMapping?: Record<number, unknown> },
  ): Promise<unknown>;
  multi(): RedisMultiLike;
}

export interface RedisMultiLike {
  addCommand(args: (string | Buffer)[]): unknown;
  exec(): Promise<unknown>;
}

/** Asks node-redis for bulk strings as Buffers (RESP type 36), so serialized bytes stay bytes. */
export const AS_BUFFERS = { typeMapping: { 36: Buffer } };

/** Runs commands as one MULTI/EXEC: one round trip, atomic on one (cluster) slot. */
export async function transaction(
  client: RedisClientLike,
  commands: (string | Buffer)[][],
): Promise<unknown> {
  if (commands.length === 0) return [];
  const multi = client.multi();
  for (const command of commands) multi.addCommand(command);
  return multi.exec();
}
