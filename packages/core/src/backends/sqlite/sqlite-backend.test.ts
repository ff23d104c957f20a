import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeMemoryContract } from "../../testing/index.js";
import { sqliteBackend } from "./sqlite-backend.js";

describeMemoryContract({
  name: "sqlite",
  create() {
    const dir = mkdtempSync(join(tmpdir(), "engram-contract-"));
    return {
      open: () => sqliteBackend({ path: join(dir, "memory.db") }),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});
