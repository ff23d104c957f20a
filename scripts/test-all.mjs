// `pnpm test`: every package's suite through turbo, then one line with the totals across them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const given = process.env.ENGRAM_TEST_REPORT_DIR;
const reportDir = given ?? mkdtempSync(join(tmpdir(), "engram-test-reports-"));
const turbo = spawnSync(
  "turbo",
  ["run", "test", "--concurrency=1", "--continue", ...process.argv.slice(2)],
  {
    stdio: "inherit",
    env: { ...process.env, ENGRAM_TEST_REPORT_DIR: reportDir },
    shell: process.platform === "win32",
  },
);
const summary = spawnSync(
  process.execPath,
  [join(import.meta.dirname, "test-summary.mjs"), reportDir],
  {
    stdio: "inherit",
  },
);
if (!given) rmSync(reportDir, { recursive: true, force: true });
process.exit(turbo.status || summary.status || 0);
