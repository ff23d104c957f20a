import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@engram/core/testing";
import { createClient } from "redis";

/** A redis-server of the test's own, restartable from its RDB file with a slow load. */
export interface RestartableRedis {
  url: string;
  /** Runs a command on a fresh connection (INFO and the like answer while loading). */
  command(args: string[]): Promise<unknown>;
  /**
   * Saves, stops and starts the server again from its RDB, each key taking `keyLoadDelayUs`
   * microseconds to load (Redis 7's `key-load-delay`): it answers LOADING meanwhile.
   */
  restartLoading(keyLoadDelayUs: number): Promise<void>;
  /** Whether the server is still loading its dataset. */
  loading(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts a redis-server on a free port with its own directory; see `restartLoading`. */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const directory = await mkdtemp(join(tmpdir(), "engram-loading-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(extra: string[]): Promise<void> {
    const started = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        directory,
        "--save",
        "",
        "--appendonly",
        "no",
        ...extra,
      ],
      { stdio: "ignore" },
    );
    child = started;
    // It accepts connections as soon as it listens, before (and while) it loads.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode})`);
      try {
        await command(["PING"]);
        return;
      } catch (error) {
        if (/LOADING/.test(String(error))) return;
        if (Date.now() > deadline) throw new Error("redis-server did not answer within 10 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async function command(args: string[]): Promise<unknown> {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    await client.connect();
    try {
      return await client.sendCommand(args);
    } finally {
      client.destroy();
    }
  }

  async function stopProcess(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }

  await start([]);
  return {
    url,
    command,
    async restartLoading(keyLoadDelayUs) {
      await command(["SAVE"]);
      await stopProcess();
      // Small tiny-key RDBs load between two event-loop turns unless told to turn often.
      await start([
        "--key-load-delay",
        String(keyLoadDelayUs),
        "--loading-process-events-interval-bytes",
        "1024",
      ]);
    },
    async loading() {
      const info = String(await command(["INFO", "persistence"]));
      return /^loading:1/m.test(info);
    },
    async stop() {
      await stopProcess();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
