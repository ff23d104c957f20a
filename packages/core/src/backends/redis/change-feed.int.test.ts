import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { createMemory } from "../../memory/create-memory.js";
import { createTestEmbedder } from "../../testing/test-embedder.js";
import { redisBackend } from "./redis-backend.js";

const url = inject("redisUrl");
const quiet = { log: () => undefined };

const newAdmin = () => createClient({ url });

async function withAdmin<T>(work: (admin: ReturnType<typeof newAdmin>) => Promise<T>) {
  const admin = newAdmin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/**
 * A real client named for this test, recording the commands sent on it (plain reads). It logs
 * in as a user of its own, so that a test can refuse its reconnections for a while.
 */
async function recordingClient() {
  const name = `engram-feed-${randomUUID()}`;
  const password = randomUUID();
  await withAdmin((admin) =>
    admin.sendCommand(["ACL", "SETUSER", name, "on", `>${password}`, "~*", "&*", "+@all"]),
  );
  onTestFinished(() => withAdmin((admin) => admin.sendCommand(["ACL", "DELUSER", name])));
  const client = createClient({ url, name, username: name, password });
  client.on("error", () => undefined);
  const sent: string[] = [];
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<typeof send>) => {
    sent.push(String(args[0][0]).toUpperCase());
    return send(...args);
  }) as typeof client.sendCommand;
  await client.connect();
  onTestFinished(() => client.close());
  return { client, name, tokenReads: () => sent.filter((command) => command === "MGET").length };
}

async function setUp() {
  const prefix = `test-${randomUUID()}`;
  const recording = await recordingClient();
  const open = (connection: Parameters<typeof redisBackend>[0]) => {
    const backend = redisBackend(connection, { prefix, mode: "plain", ...quiet });
    const memory = createMemory({ backend, embedder: createTestEmbedder(), dedup: false });
    onTestFinished(() => memory.close());
    return memory;
  };
  const first = open({ client: recording.client as never });
  const second = open({ url });
  onTestFinished(async () => {
    const backend = redisBackend({ url }, { prefix, ...quiet });
    await backend.drop();
    await backend.close();
  });
  return { ...recording, first, second, open };
}

async function feedConnections(name: string): Promise<string[]> {
  const clients = await withAdmin((admin) => admin.sendCommand(["CLIENT", "LIST"]));
  return String(clients)
    .split("\n")
    .filter((line) => line.includes(`name=${name} `) && /flags=\S*P/.test(line));
}

const namespace = ["t", "team"];
const query = { namespace, query: "the team database is PostgreSQL", mode: "semantic" as const };

describe("the plain-mode cache's change feed", () => {
  it("serves a warm namespace without reading version tokens", async () => {
    const { first, tokenReads } = await setUp();
    await first.remember({ namespace, content: "the team database is MySQL", key: "db" });
    await first.recall(query); // fills the cache
    const before = tokenReads();
    for (let i = 0; i < 5; i++) await first.recall(query);
    expect(tokenReads()).toBe(before);
  });

  it("serves another process's write at once, new vector included", async () => {
    const { first, second, open } = await setUp();
    await first.remember({ namespace, content: "the team database is MySQL", key: "db" });
    expect((await first.recall(query))[0]!.content).toBe("the team database is MySQL");

    await second.remember({ namespace, content: "the team database is PostgreSQL", key: "db" });
    const [seen] = await first.recall(query);
    expect(seen!.content).toBe("the team database is PostgreSQL");
    // The score comes from the cached vector: it must match a reader with no cache at all (to
    // within the small boost the earlier recall earned; the old vector scores far lower).
    const fresh = await open({ url }).recall(query);
    expect(seen!.score).toBeCloseTo(fresh[0]!.score, 2);
  });

  it("serves another process's write at once to hybrid and keyword recalls", async () => {
    const { first, second } = await setUp();
    await first.remember({ namespace, content: "the team database is MySQL", key: "db" });
    const asked = { namespace, query: "which database does the team use" };
    for (const mode of ["hybrid", "keyword"] as const)
      expect((await first.recall({ ...asked, mode }))[0]!.content).toBe(
        "the team database is MySQL",
      );
    // Each recall runs on the entries it holds while the barrier's round trip is under way; a
    // change that the barrier then delivers makes it run again on fresh entries. (Here the
    // change's message has always arrived before the next recall: this checks that overlapping
    // costs no freshness, not the race itself, which no test here can force.)
    for (let at = 0; at < 12; at++) {
      const content = `the team database is engine number ${at}`;
      await second.remember({ namespace, content, key: "db" });
      const mode = at % 2 === 0 ? "hybrid" : "keyword";
      expect((await first.recall({ ...asked, mode }))[0]!.content).toBe(content);
    }
  });

  it("never serves what changed while its connection was down, and follows again after", async () => {
    const { first, second, name, tokenReads } = await setUp();
    await first.remember({ namespace, content: "the team database is MySQL", key: "db" });
    await first.recall(query);
    const [cut] = await feedConnections(name);
    expect(cut).toBeDefined();

    // Cut the feed and keep it out (its user may not log in) until another process has written:
    // that write's message is lost to this process.
    await withAdmin(async (admin) => {
      await admin.sendCommand(["ACL", "SETUSER", name, "off"]);
      await admin.sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(cut!)![1]!]);
    });
    await second.remember({ namespace, content: "the team database is PostgreSQL", key: "db" });
    await withAdmin((admin) => admin.sendCommand(["ACL", "SETUSER", name, "on"]));
    await vi.waitFor(async () => {
      const [back] = await feedConnections(name);
      expect(back).toBeDefined();
      expect(back).not.toBe(cut);
    });
    expect((await first.recall(query))[0]!.content).toBe("the team database is PostgreSQL");

    // Back to the feed: warm reads stop checking tokens, and still see the next change.
    await vi.waitFor(async () => {
      const before = tokenReads();
      await first.recall(query);
      expect(tokenReads()).toBe(before);
    });
    await second.remember({ namespace, content: "the team database is CockroachDB", key: "db" });
    expect((await first.recall(query))[0]!.content).toBe("the team database is CockroachDB");
  });
});
