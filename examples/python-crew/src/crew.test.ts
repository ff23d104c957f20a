import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { fileKeyStore, startServer } from "@engram/server";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

const python = hasPython();
if (!python) console.log("python-crew: skipped, python3 is not on PATH");

function output(child: ChildProcess): {
  text: () => string;
  waitFor: (s: string) => Promise<void>;
} {
  let text = "";
  const waiters: [string, () => void][] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const [needle, resolve] of waiters) if (text.includes(needle)) resolve();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    text: () => text,
    // Fails at once, with what the process printed, if it exits before printing the needle.
    waitFor: (needle) =>
      new Promise((resolve, reject) => {
        if (text.includes(needle)) return resolve();
        waiters.push([needle, resolve]);
        child.once("exit", (code) => {
          if (!text.includes(needle))
            reject(new Error(`exited (${code}) before "${needle}":\n${text}`));
        });
      }),
  };
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

/** One run of the crew, as the README runs it: the writer listens, the researcher writes. */
async function runCrew(env: NodeJS.ProcessEnv): Promise<{ researcher: string; writer: string }> {
  const writer = spawn("python3", ["writer.py"], { cwd: root, env });
  const writerOutput = output(writer);
  await writerOutput.waitFor("writer: listening");
  const researcher = spawn("python3", ["researcher.py"], { cwd: root, env });
  const researcherOutput = output(researcher);
  expect(await exited(researcher), researcherOutput.text()).toBe(0);
  expect(await exited(writer), writerOutput.text()).toBe(0);
  return { researcher: researcherOutput.text(), writer: writerOutput.text() };
}

describe.skipIf(!python)("python crew over REST", () => {
  it("the researcher writes findings; the writer follows the stream and recalls them, run after run", async () => {
    const directory = await mkdtemp(join(tmpdir(), "engram-crew-"));
    const memory = createMemory({
      backend: sqliteBackend({ path: join(directory, "memory.db"), pollMs: 20 }),
      embedder: createTestEmbedder(),
    });
    const keyStore = fileKeyStore({ path: join(directory, "keys.json") });
    const { secret } = await keyStore.create({ root: ["acme"], scopes: ["read", "write"] });
    const server = await startServer({ memory, keyStore, port: 0 });
    const env = { ...process.env, ENGRAM_URL: server.url, ENGRAM_API_KEY: secret };
    try {
      const first = await runCrew(env);
      expect(first.researcher.match(/researcher: created/g)).toHaveLength(3);
      expect(first.writer.match(/writer: created .* in crew\/findings/g)).toHaveLength(3);
      expect(first.writer).toContain("writer: the researcher handed off (created)");
      expect(first.writer).toContain("Sodium-ion cells cost about 30% less");

      // A second run finds every finding known (skipped, so no event): the handoff still ends it.
      const second = await runCrew(env);
      expect(second.researcher.match(/researcher: skipped/g)).toHaveLength(3);
      expect(second.writer).not.toMatch(/in crew\/findings/);
      expect(second.writer).toContain("writer: the researcher handed off (updated)");
      expect(second.writer).toContain("Sodium-ion cells cost about 30% less");
      const stored = await memory.list({ namespace: ["acme", "crew", "findings"] });
      expect(stored.memories).toHaveLength(3);
    } finally {
      await server.close();
      await memory.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
