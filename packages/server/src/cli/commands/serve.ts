import type { Command } from "commander";
import { fileKeyStore } from "../../auth/file-key-store.js";
import { startServer } from "../../serve/start-server.js";
import { defaultKeyFile } from "../data-directory.js";
import { describeStorage, openMemory, storageOptions } from "../open-memory.js";
import { runAction } from "../run-action.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** `engram serve`: REST and MCP on one port. */
export function registerServeCommand(program: Command): void {
  storageOptions(
    program
      .command("serve")
      .description("Serve the REST API (/v1), MCP (/mcp) and /openapi.json on one port")
      .option("-p, --port <port>", "port to listen on", process.env.PORT ?? "8787")
      .option("--host <host>", "address to bind (default 127.0.0.1)"),
  )
    .option(
      "--keys <path>",
      "API key file (default: keys.json in the per-user data directory, or ENGRAM_KEYS)",
    )
    .option(
      "--capacity <n>",
      "most memories a namespace keeps; past it the least worth keeping are evicted (never pinned ones)",
    )
    .option("--max-body-bytes <n>", "largest request body accepted; larger ones get 413", "1048576")
    .action(
      runAction(
        async (options: {
          port: string;
          host?: string;
          data?: string;
          redis?: string;
          prefix?: string;
          keys?: string;
          capacity?: string;
          maxBodyBytes: string;
        }) => {
          const port = Number(options.port);
          if (!Number.isInteger(port) || port < 0 || port > 65_535)
            throw new Error(`--port ${options.port} is not a port.`);
          const capacity = options.capacity === undefined ? undefined : Number(options.capacity);
          if (capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 1))
            throw new Error(`--capacity ${options.capacity} is not a positive whole number.`);
          const maxBodyBytes = Number(options.maxBodyBytes);
          if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1))
            throw new Error(
              `--max-body-bytes ${options.maxBodyBytes} is not a positive whole number.`,
            );
          const keyPath = options.keys ?? defaultKeyFile();
          const keyStore = fileKeyStore({ path: keyPath });
          const hasKeys = (await keyStore.list()).length > 0;
          if (!hasKeys && options.host !== undefined && !LOOPBACK.has(options.host)) {
            throw new Error(
              `No API keys in ${keyPath}, so the server only binds to loopback; create one with \`engram keys create\` to serve on ${options.host}.`,
            );
          }
          const storage = { ...options, capacity };
          const memory = await openMemory(storage);
          const server = await startServer({
            memory,
            keyStore,
            // Keys created while serving take effect at once; until one exists, loopback
            // requests without a key are the local admin (and a key that is not valid is refused).
            localWhileNoKeys: LOOPBACK.has(options.host ?? "127.0.0.1"),
            port,
            host: options.host ?? "127.0.0.1",
            maxBodyBytes,
          });
          if (!hasKeys) {
            process.stderr.write(
              `engram: no API keys in ${keyPath}: requests without a key are an unrestricted local admin, on ${server.url} only, until a key is created\n`,
            );
          }
          process.stderr.write(
            `engram: serving ${describeStorage(storage)} on ${server.url} (REST /v1, MCP /mcp, OpenAPI /openapi.json)\n`,
          );
          stopOnSignal(async () => {
            await server.close();
            await memory.close();
          });
        },
      ),
    );
}

/** How long a clean shutdown may take before the process gives up on it. */
const SHUTDOWN_MS = 10_000;

/**
 * Ctrl-C (SIGINT) or SIGTERM stops the server cleanly and exits 0, as a requested stop should.
 * The signal can arrive twice (a terminal signals the whole process group, and a launcher
 * forwards it too), so later ones are ignored; a shutdown that hangs exits 1.
 */
function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`engram: could not stop within ${SHUTDOWN_MS / 1000} s\n`);
      process.exit(1);
    }, SHUTDOWN_MS).unref();
    stop().then(
      () => {
        process.stderr.write(`engram: stopped (${signal})\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`engram: stopping failed: ${String(error).split("\n")[0]}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
