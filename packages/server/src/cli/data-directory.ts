import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The per-user directory the CLI keeps its store and keys in, whatever the current directory:
 * ENGRAM_HOME, else the platform's data directory (`~/.local/share/engram` on Linux,
 * `~/Library/Application Support/engram` on macOS, `%LOCALAPPDATA%\engram` on Windows).
 */
export function dataDirectory(): string {
  const env = process.env;
  if (env.ENGRAM_HOME) return env.ENGRAM_HOME;
  if (process.platform === "win32")
    return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "engram");
  if (process.platform === "darwin")
    return join(homedir(), "Library", "Application Support", "engram");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "engram");
}

/** The SQLite file: ENGRAM_DATA, else `memory.db` in the data directory. */
export function defaultDataFile(): string {
  return process.env.ENGRAM_DATA || join(dataDirectory(), "memory.db");
}

/** The API key file: ENGRAM_KEYS, else `keys.json` in the data directory. */
export function defaultKeyFile(): string {
  return process.env.ENGRAM_KEYS || join(dataDirectory(), "keys.json");
}
