import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The built `engram` bin; tests run after `build`, as turbo orders them. */
export const CLI_PATH = join(import.meta.dirname, "../../dist/cli/main.js");

export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`Build @engram/server first: ${CLI_PATH} is missing.`);
}

/**
 * Runs the built CLI and resolves with its exit code and output. Its data directory
 * (ENGRAM_HOME) is `.engram` in `cwd` unless `env` says otherwise, never the user's own.
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          ENGRAM_EMBEDDER: "test",
          ENGRAM_HOME: join(options.cwd, ".engram"),
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
