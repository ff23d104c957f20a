import { expect, onTestFinished } from "vitest";
import type { Backend } from "../../backends/backend.js";
import type { Embedder } from "../../embedders/embedder.js";
import { EngramError } from "../../errors/engram-error.js";
import { createMemory, type Memory, type MemoryOptions } from "../../memory/create-memory.js";
import { createTestEmbedder, type TestEmbedder } from "../test-embedder.js";

/** One empty store for one test. `open` may be called again to reopen the same data. */
export interface ContractStore {
  open(): Backend | Promise<Backend>;
  cleanup?(): Promise<void> | void;
}

/** A backend under test: how to make an empty store. */
export interface ContractTarget {
  /** Shown in test names, e.g. `"sqlite"`. */
  name: string;
  create(): ContractStore | Promise<ContractStore>;
}

export interface Harness {
  memory: Memory;
  embedder: TestEmbedder;
  clock: { now: number; advance(ms: number): void };
  /** Opens another memory over the same data (as a restarted process would). */
  reopen(options?: Partial<MemoryOptions>): Promise<Memory>;
}

// Ahead of any real clock: a backend that expires memories with server time (Redis
// PEXPIREAT) must never expire one before the fake clock says so.
export const START = Date.UTC(2099, 0, 1);

/** Makes a fresh store with a fake clock and a test embedder; everything is closed after the test. */
export async function setUp(
  target: ContractTarget,
  options: Partial<MemoryOptions> = {},
): Promise<Harness> {
  const store = await target.create();
  const opened: Memory[] = [];
  const clock = {
    now: START,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const embedder = (options.embedder as TestEmbedder | undefined) ?? createTestEmbedder();
  const open = async (extra: Partial<MemoryOptions> = {}) => {
    const memory = createMemory({
      backend: await store.open(),
      embedder: embedder as Embedder,
      now: () => clock.now,
      ...options,
      ...extra,
    });
    opened.push(memory);
    return memory;
  };
  const memory = await open();
  onTestFinished(async () => {
    for (const each of opened) await each.close();
    await store.cleanup?.();
  });
  return { memory, embedder, clock, reopen: open };
}

/** Asserts that `promise` rejects with an EngramError of this code. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<EngramError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected an EngramError ${code}`).toBeDefined();
  expect(EngramError.isInstance(error), `expected an EngramError, got ${String(error)}`).toBe(true);
  expect((error as EngramError).code).toBe(code);
  return error as EngramError;
}

/** Every live memory under a prefix, all pages. */
export async function everything(memory: Memory, within: readonly string[]): Promise<string[]> {
  const contents: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await memory.list({ within, limit: 1000, ...(cursor ? { cursor } : {}) });
    contents.push(...page.memories.map((m) => m.content));
    cursor = page.nextCursor;
  } while (cursor);
  return contents.sort();
}
