import type { RedisClientLike } from "./redis-client.js";
import { type KnnPolicy, knnPolicy, type SearchIndex } from "./search-query.js";

/** The number of documents in the index (FT.INFO `num_docs`), or `undefined` if not told. */
export async function indexDocuments(
  client: RedisClientLike,
  index: SearchIndex,
): Promise<number | undefined> {
  const reply = (await client.sendCommand(["FT.INFO", index.name])) as unknown[];
  for (let i = 0; i + 1 < reply.length; i += 2)
    if (String(reply[i]) === "num_docs") return Number(String(reply[i + 1]));
  return undefined;
}

const SCOPE_HINTS = 10_000;

/**
 * What a KNN's policy is chosen from, kept between searches so that choosing costs no round
 * trip: the index's size (FT.INFO) and each scope's size, each read once and then again in the
 * background once `refreshMs` old. Both only steer the policy; results never depend on them.
 */
export function knnPlanner(refreshMs = 5_000) {
  const scopes = new Map<string, { size: number; readAt: number }>();
  const reading = new Map<string, Promise<number | undefined>>();

  // One read at a time per name; a failed read leaves the old hint (the search reports errors).
  function read(name: string, size: () => Promise<number | undefined>) {
    let pending = reading.get(name);
    if (!pending) {
      pending = size()
        .then(
          (value) => {
            if (value !== undefined) remember(name, value);
            return value;
          },
          () => undefined,
        )
        .finally(() => reading.delete(name));
      reading.set(name, pending);
    }
    return pending;
  }

  function remember(name: string, size: number) {
    scopes.delete(name);
    scopes.set(name, { size, readAt: Date.now() });
    if (scopes.size > SCOPE_HINTS) scopes.delete(scopes.keys().next().value!);
  }

  // The hint, read now if there is none, read again in the background once it is old.
  async function hint(name: string, size: () => Promise<number | undefined>) {
    const known = scopes.get(name);
    if (!known) return read(name, size);
    if (Date.now() - known.readAt > refreshMs) void read(name, size);
    return known.size;
  }

  return {
    /** The policy for a KNN of `k` over the scope named `scopeKey` of `scopeSize` memories. */
    async policy(
      client: RedisClientLike,
      index: SearchIndex,
      scopeKey: string,
      k: number,
      scopeSize: () => Promise<number>,
    ): Promise<KnnPolicy> {
      const [documents, size] = await Promise.all([
        hint(INDEX_HINT, () => indexDocuments(client, index)),
        hint(`scope:${scopeKey}`, scopeSize),
      ]);
      return knnPolicy(k, size, documents);
    },

    clear(): void {
      scopes.clear();
    },
  };
}

const INDEX_HINT = "index";
