import type { IngestClaim } from "../../conversation-store.js";
import type { RedisKeys } from "../keys.js";
import type { RedisClientLike } from "../redis-client.js";
import { runScript } from "./run-script.js";
import { ADVANCE_INGEST, CLAIM_INGEST, RELEASE_INGEST } from "./scripts.js";

/** A thread's ingest lease and position, kept in the thread's hash; each step one script. */
export function redisIngestClaims(connection: () => RedisClientLike, keys: RedisKeys) {
  async function claimIngest(
    namespace: string,
    threadId: string,
    owner: string,
    until: number,
    now: number,
  ): Promise<IngestClaim> {
    const reply = (await runScript(
      connection(),
      CLAIM_INGEST,
      [keys.thread(namespace, threadId)],
      [owner, String(until), String(now)],
    )) as [string, string?];
    if (reply[0] === "claimed") return { status: "claimed", afterSeq: Number(reply[1]) };
    return { status: reply[0] === "busy" ? "busy" : "missing" };
  }

  async function advanceIngest(
    namespace: string,
    threadId: string,
    owner: string,
    throughSeq: number,
    until: number,
  ): Promise<boolean> {
    const reply = await runScript(
      connection(),
      ADVANCE_INGEST,
      [keys.thread(namespace, threadId)],
      [owner, String(throughSeq), String(until)],
    );
    return Number(reply) === 1;
  }

  async function releaseIngest(namespace: string, threadId: string, owner: string): Promise<void> {
    await runScript(connection(), RELEASE_INGEST, [keys.thread(namespace, threadId)], [owner]);
  }

  return { claimIngest, advanceIngest, releaseIngest };
}
