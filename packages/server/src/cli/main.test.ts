import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, sqliteBackend } from "@engram/core";
import { createTestEmbedder } from "@engram/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, runCli } from "../testing/run-cli.js";

let directory: string;

beforeAll(async () => {
  assertBuilt();
  directory = await mkdtemp(join(tmpdir(), "engram-cli-"));
  const memory = createMemory({
    backend: sqliteBackend({ path: join(directory, ".engram/memory.db") }),
    embedder: createTestEmbedder(),
  });
  await memory.remember([
    {
      namespace: ["acme", "users", "alice"],
      content: "Alice likes tea",
      kind: "preference",
      key: "drink",
      metadata: { source: "chat", nested: { a: [1, 2] } },
      tags: ["diet"],
    },
    { namespace: ["acme", "users", "alice"], content: "Alice lives in Lyon" },
    { namespace: ["acme", "team"], content: "Deploys happen on Tuesdays", kind: "fact" },
    { namespace: ["other"], content: "not acme" },
  ]);
  await memory.close();
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe("engram CLI", () => {
  it("has --help on every command", async () => {
    for (const command of [
      [],
      ["serve"],
      ["mcp"],
      ["keys"],
      ["keys", "create"],
      ["export"],
      ["import"],
      ["stats"],
      ["erase"],
    ]) {
      const result = await runCli([...command, "--help"], { cwd: directory });
      expect(result.code, command.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage: engram");
    }
  });

  it("creates, lists and revokes keys, showing the secret once and storing only its hash", async () => {
    const created = await runCli(
      ["keys", "create", "--root", "acme/users", "--scopes", "read,write", "--name", "ci"],
      {
        cwd: directory,
      },
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^engram_[a-f0-9]{16}_/);
    const file = await readFile(join(directory, ".engram/keys.json"), "utf8");
    expect(file).not.toContain(secret);
    // The random part is base64url and may hold "_" itself: take all after the id.
    const random = secret.slice("engram_".length + 16 + 1);
    expect(random).toHaveLength(43);
    expect(file).not.toContain(random);
    const listed = await runCli(["keys", "list", "--json"], { cwd: directory });
    const keys = JSON.parse(listed.stdout);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      root: ["acme", "users"],
      scopes: ["read", "write"],
      name: "ci",
    });
    expect(listed.stdout).not.toContain(secret);
    expect((await runCli(["keys", "revoke", keys[0].id], { cwd: directory })).code).toBe(0);
    expect(
      JSON.parse((await runCli(["keys", "list", "--json"], { cwd: directory })).stdout),
    ).toEqual([]);
  });

  it("fails with one clear line and a non-zero exit", async () => {
    const cases = [
      ["keys", "create", "--root", "../etc"],
      ["keys", "create", "--root", "a", "--scopes", "root"],
      ["keys", "revoke", "nope"],
      ["export", "--within", "a//b"],
      ["serve", "--host", "0.0.0.0", "--keys", join(directory, "none.json")],
      ["serve", "--capacity", "0"],
      ["nonsense"],
    ];
    for (const args of cases) {
      const result = await runCli(args, { cwd: directory });
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("fails fast when --redis cannot be reached", async () => {
    const result = await runCli(["serve", "--port", "0", "--redis", "redis://127.0.0.1:1"], {
      cwd: directory,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(/^engram: Could not open redis/);
  });

  it("exports a subtree as JSON Lines with ids, timestamps, keys and metadata", async () => {
    const result = await runCli(["export", "--within", "acme"], { cwd: directory });
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    const tea = lines.find((line) => line.key === "drink");
    expect(tea).toMatchObject({
      namespace: ["acme", "users", "alice"],
      kind: "preference",
      metadata: { source: "chat", nested: { a: [1, 2] } },
      tags: ["diet"],
    });
    expect(tea.id).toEqual(expect.any(String));
    expect(Date.parse(tea.createdAt)).toBeGreaterThan(0);
  });

  it("round-trips an export through import losslessly, and importing twice adds nothing", async () => {
    const exported = await runCli(["export", "--within", "acme"], { cwd: directory });
    const file = join(directory, "acme.jsonl");
    await writeFile(file, exported.stdout);
    const elsewhere = await mkdtemp(join(tmpdir(), "engram-import-"));
    try {
      const first = await runCli(["import", file], { cwd: elsewhere });
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/restored 3 memories, skipped 0/);
      const second = await runCli(["import", file], { cwd: elsewhere });
      expect(second.stderr).toMatch(/restored 0 memories, skipped 3/);
      const again = await runCli(["export", "--within", "acme"], { cwd: elsewhere });
      expect(again.stdout).toBe(exported.stdout);
      const line = JSON.parse(exported.stdout.split("\n")[0]!);
      expect(line.history.map((entry: { action: string }) => entry.action)).toEqual(["created"]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("exports each memory's vector with its model, unless --no-vectors", async () => {
    const withVectors = await runCli(["export", "--within", "acme"], { cwd: directory });
    const line = JSON.parse(withVectors.stdout.split("\n")[0]!);
    expect(line.vector.model).toBe(createTestEmbedder().model);
    expect(Buffer.from(line.vector.float32, "base64")).toHaveLength(
      4 * createTestEmbedder().dimensions!,
    );
    const without = await runCli(["export", "--within", "acme", "--no-vectors"], {
      cwd: directory,
    });
    expect(without.code).toBe(0);
    expect(JSON.parse(without.stdout.split("\n")[0]!)).not.toHaveProperty("vector");
    const { vector: _, ...rest } = line;
    expect(JSON.parse(without.stdout.split("\n")[0]!)).toEqual(rest);
  });

  it("prints stats by namespace and kind with the storage mode", async () => {
    const result = await runCli(["stats", "--within", "acme", "--json"], { cwd: directory });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      storage: `sqlite (${join(directory, ".engram", "memory.db")})`,
      total: 3,
      namespaces: [
        { namespace: "acme/team", kinds: { fact: 1 } },
        { namespace: "acme/users/alice", kinds: { fact: 1, preference: 1 } },
      ],
    });
  });

  it("counts and exports the whole store when --within is left out", async () => {
    const stats = await runCli(["stats", "--json"], { cwd: directory });
    expect(stats.code).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed.total).toBe(4);
    expect(parsed.namespaces.map((entry: { namespace: string }) => entry.namespace)).toEqual([
      "acme/team",
      "acme/users/alice",
      "other",
    ]);
    const exported = await runCli(["export"], { cwd: directory });
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split("\n")).toHaveLength(4);
    expect(exported.stderr).toMatch(/exported 4 memories/);
  });

  it("keeps its store in one per-user directory, whatever the current directory", async () => {
    const home = await mkdtemp(join(tmpdir(), "engram-home-"));
    const elsewhere = await mkdtemp(join(tmpdir(), "engram-cwd-"));
    try {
      const env = { ENGRAM_HOME: "", ENGRAM_DATA: "", XDG_DATA_HOME: join(home, "data") };
      const file = join(elsewhere, "one.jsonl");
      await writeFile(
        file,
        (await runCli(["export", "--within", "other"], { cwd: directory })).stdout,
      );
      const imported = await runCli(["import", file], { cwd: elsewhere, env });
      expect(imported.code).toBe(0);
      const stats = await runCli(["stats", "--json"], { cwd: directory, env });
      const expected =
        process.platform === "linux" ? join(home, "data", "engram", "memory.db") : undefined;
      if (expected) expect(JSON.parse(stats.stdout).storage).toBe(`sqlite (${expected})`);
      expect(JSON.parse(stats.stdout).total).toBe(1);
      expect(existsSync(join(elsewhere, ".engram"))).toBe(false);
    } finally {
      await rm(home, { recursive: true, force: true });
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("says a store is missing on a read, exits non-zero and creates nothing", async () => {
    const empty = await mkdtemp(join(tmpdir(), "engram-empty-"));
    try {
      for (const args of [
        ["stats"],
        ["export", "--within", "acme"],
        ["stats", "--data", join(empty, "nonexistent", "dir", "x.db")],
        ["keys", "list"],
        ["keys", "revoke", "nope"],
      ]) {
        const result = await runCli(args, { cwd: empty });
        expect(result.code, args.join(" ")).not.toBe(0);
        expect(result.stderr, args.join(" ")).toMatch(/^engram: No (Engram store|key file) at /);
        expect(result.stdout).toBe("");
      }
      expect(existsSync(join(empty, ".engram"))).toBe(false);
      expect(existsSync(join(empty, "nonexistent"))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("erases a subtree and reports memories, threads, messages and working memories", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "engram-erase-"));
    try {
      const memory = createMemory({
        backend: sqliteBackend({ path: join(elsewhere, ".engram/memory.db") }),
        embedder: createTestEmbedder(),
      });
      await memory.remember([
        { namespace: ["acme", "gone"], content: "to erase" },
        { namespace: ["acme", "kept"], content: "to keep" },
      ]);
      await memory.messages.append({
        namespace: ["acme", "gone", "chat"],
        threadId: "t",
        messages: [
          { role: "user", content: "one" },
          { role: "assistant", content: "two" },
        ],
      });
      await memory.workingMemory.replace({ namespace: ["acme", "gone"], content: "notes" });
      await memory.close();
      const result = await runCli(["erase", "acme/gone", "--json"], { cwd: elsewhere });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        memories: 1,
        threads: 1,
        messages: 2,
        workingMemories: 1,
        attached: {},
      });
      const text = await runCli(["erase", "acme/kept"], { cwd: elsewhere });
      expect(text.stdout.trim()).toBe(
        "erased acme/kept: memories=1 threads=0 messages=0 workingMemories=0",
      );
      const bad = await runCli(["erase", "../acme"], { cwd: elsewhere });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
