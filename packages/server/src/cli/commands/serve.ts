import type { Command } from "commander";
import { DEFAULT_KEY_FILE, fileKeyStore } from "../../auth/file-key-store.js";
import { startServer } from "../../serve/start-server.js";
import { describeStorage, openMemory } from "../open-memory.js";
import { runAction } from "../run-action.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** `engram serve`: REST and MCP on one port. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Serve the REST API (/v1), MCP (/mcp) and /openapi.json on one port")
    .option("-p, --port <port>", "port to listen on", process.env.PORT ?? "8787")
    .option("--host <host>", "address to bind (default 127.0.0.1)")
    .option("--data <path>", "SQLite file (default .engram/memory.db, or ENGRAM_DATA)")
    .option("--redis <url>", "use Redis instead of SQLite (or set REDIS_URL)")
    .option("--keys <path>", "API key file (default .engram/keys.json, or ENGRAM_KEYS)")
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
          const keyPath = options.keys ?? process.env.ENGRAM_KEYS ?? DEFAULT_KEY_FILE;
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
            keyStore: hasKeys ? keyStore : undefined,
            port,
            host: options.host ?? "127.0.0.1",
            maxBodyBytes,
          });
          if (!hasKeys) {
            process.stderr.write(
              `engram: no API keys in ${keyPath}: every request is an unrestricted local admin, on ${server.url} only (restart after creating keys)\n`,
            );
          }
          process.stderr.write(
            `engram: serving ${describeStorage(storage)} on ${server.url} (REST /v1, MCP /mcp, OpenAPI /openapi.json)\n`,
          );
          const stop = async () => {
            await server.close();
            await memory.close();
          };
          process.once("SIGINT", () => void stop());
          process.once("SIGTERM", () => void stop());
        },
      ),
    );
}
