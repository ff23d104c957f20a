import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../testing/run-cli.js";

const clone = join(import.meta.dirname, "../../../..");
const started: ChildProcess[] = [];

/** Starts `node scripts/engram.mjs serve` as the root README documents it, in its own process group. */
async function startDocumentedServe(home: string): Promise<{
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}> {
  // `detached` gives it a process group of its own, as a terminal's foreground job has. `node`
  // is a Node binary, as in a user's shell (on a pnpm script's PATH it is a shell wrapper).
  const child = spawn(process.execPath, ["scripts/engram.mjs", "serve", "--port", "0"], {
    cwd: clone,
    env: { ...process.env, ENGRAM_HOME: home, ENGRAM_EMBEDDER: "test" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (text.includes("engram: serving")) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void exit.then(() => {
      clearInterval(poll);
      reject(new Error(`engram serve exited before serving:\n${text}`));
    });
  });
  return { child, output: () => text, exit };
}

// The documented command serves the embedded store: once is enough, in the sqlite project.
const once = process.env.ENGRAM_TEST_BACKEND === "redis";
if (once) console.log("documented-serve: skipped in the redis project; it runs in the sqlite one");

describe.skipIf(once)("stopping `node scripts/engram.mjs serve` (the documented command)", () => {
  let home: string;
  beforeAll(async () => {
    assertBuilt();
    home = await mkdtemp(join(tmpdir(), "engram-serve-signal-"));
  });
  afterAll(async () => {
    // A failed test must not leave a server running: end its whole process group.
    for (const child of started) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    }
    await rm(home, { recursive: true, force: true });
  });

  // The launcher may build first: slow on a loaded machine, so a generous limit.
  it("Ctrl-C (SIGINT to the whole process group) stops cleanly and exits 0", {
    timeout: 180_000,
  }, async () => {
    const serve = await startDocumentedServe(home);
    process.kill(-serve.child.pid!, "SIGINT");
    expect(await serve.exit).toEqual({ code: 0, signal: null });
    expect(serve.output()).toContain("engram: stopped (SIGINT)");
    expect(serve.output()).not.toContain("ELIFECYCLE");
  });

  it("SIGTERM to the launcher alone (a process manager) stops the server and exits 0", {
    timeout: 180_000,
  }, async () => {
    const serve = await startDocumentedServe(home);
    serve.child.kill("SIGTERM");
    expect(await serve.exit).toEqual({ code: 0, signal: null });
    expect(serve.output()).toContain("engram: stopped (SIGTERM)");
  });
});
