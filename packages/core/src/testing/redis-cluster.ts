import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

/** A Redis Cluster for tests: started here, or the one REDIS_CLUSTER_URLS names. */
export interface TestRedisCluster {
  /** `redis://host:port` of every node (masters and replicas); any of them is a root node. */
  readonly urls: string[];
  /** Whether this process started the nodes (and so may kill and stop them). */
  readonly owned: boolean;
  /** Kills one node's process (SIGKILL: no shutdown save), for fault tests. Owned only. */
  kill(url: string): Promise<void>;
  /** Starts a killed node again; it rejoins the cluster (as a replica if it was failed over). */
  restart(url: string): Promise<void>;
  /** Stops every node started here and removes their files; a no-op for REDIS_CLUSTER_URLS. */
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Masters to create (3 unless told). */
  masters?: number;
  /** Replicas per master (1 unless told). */
  replicas?: number;
  /** Extra `redis-server` arguments for every node, e.g. `["--loadmodule", path]`. */
  serverArguments?: string[];
  /** Ignore REDIS_CLUSTER_URLS and always start a cluster (fault tests kill nodes). */
  ownNodes?: boolean;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  return stdout;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await check().catch((error: unknown) => {
      if (error instanceof NodeExited) throw error;
      return false;
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a Redis Cluster from `redis-server` binaries on free ports (3 masters with a replica
 * each unless told; no persistence), or returns the one REDIS_CLUSTER_URLS names
 * (comma-separated `redis://host:port`). Call `stop()` after.
 */
export async function startRedisCluster(
  options: StartRedisClusterOptions = {},
): Promise<TestRedisCluster> {
  const fromEnvironment = process.env.REDIS_CLUSTER_URLS;
  if (fromEnvironment && !options.ownNodes) {
    return {
      urls: fromEnvironment.split(",").map((url) => url.trim()),
      owned: false,
      kill: () => Promise.reject(new Error("REDIS_CLUSTER_URLS nodes are not ours to kill")),
      restart: () => Promise.reject(new Error("REDIS_CLUSTER_URLS nodes are not ours to restart")),
      stop: () => Promise.resolve(),
    };
  }
  // A node whose port (or cluster bus port, port + 10000) another process took in the meantime
  // exits at once: start again on fresh ports rather than wait for it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOwnCluster(options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof NodeExited)) throw error;
    }
  }
}

class NodeExited extends Error {}

async function startOwnCluster(options: StartRedisClusterOptions): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const count = masters * (1 + (options.replicas ?? 1));
  const directory = await mkdtemp(join(tmpdir(), "engram-cluster-"));
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port) && port < 55_536) ports.push(port); // the bus port is port + 10000
  }
  const children = new Map<number, ChildProcess>();
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    children.clear();
    await rm(directory, { recursive: true, force: true });
  };
  const startNode = async (port: number) => {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${port}.conf`,
        "--cluster-node-timeout",
        "2000",
        "--dir",
        directory,
        "--save",
        "",
        "--appendonly",
        "no",
        ...(options.serverArguments ?? []),
      ],
      { stdio: "ignore" },
    );
    children.set(port, child);
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once("error", resolve);
      child.once("spawn", () => resolve(undefined));
    });
    if (spawned)
      throw new Error(
        "The Redis Cluster tests need redis-server and redis-cli 7 on the PATH (or REDIS_CLUSTER_URLS).",
      );
  };
  try {
    for (const port of ports) await startNode(port);
    for (const port of ports)
      await until("a node did not answer PING", async () => {
        const child = children.get(port);
        if (child && (child.exitCode !== null || child.signalCode !== null))
          throw new NodeExited(`redis-server on port ${port} exited at start`);
        return (await cli(port, "PING")).trim() === "PONG";
      });
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((port) => `127.0.0.1:${port}`),
      "--cluster-replicas",
      String(options.replicas ?? 1),
      "--cluster-yes",
    ]);
    for (const port of ports)
      await until("cluster_state did not reach ok", async () =>
        (await cli(port, "CLUSTER", "INFO")).includes("cluster_state:ok"),
      );
    // Every master lists its replicas in CLUSTER SLOTS and every replica has its data link up,
    // so clients see the whole topology and a failover test starts from synced pairs.
    const replicas = options.replicas ?? 1;
    await until("the replicas did not join", async () => {
      const slots = await cli(ports[0]!, "--json", "CLUSTER", "SLOTS");
      const ranges = JSON.parse(slots) as unknown[][];
      return ranges.length >= masters && ranges.every((range) => range.length === 3 + replicas);
    });
    for (const port of ports)
      await until("a replica did not sync", async () => {
        const info = await cli(port, "INFO", "replication");
        return info.includes("role:master") || info.includes("master_link_status:up");
      });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    owned: true,
    async kill(url) {
      const child = children.get(Number(new URL(url).port));
      if (!child) throw new Error(`${url} is not a node of this cluster`);
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      });
    },
    async restart(url) {
      const port = Number(new URL(url).port);
      await startNode(port);
      await until("a restarted node did not sync", async () =>
        (await cli(port, "INFO", "replication")).includes("master_link_status:up"),
      );
    },
    stop,
  };
}
