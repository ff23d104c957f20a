import { fileURLToPath } from "node:url";
import { engramTestConfig } from "../../vitest.shared.ts";

// Every test file runs three times: over the embedded SQLite backend, over Redis, and over a
// 3-master Redis Cluster (plain mode).
export default engramTestConfig(import.meta.dirname, {
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    globalSetup: [fileURLToPath(import.meta.resolve("@engram/core/testing/redis-global-setup"))],
    projects: [
      { extends: true, test: { name: "sqlite", env: { ENGRAM_TEST_BACKEND: "sqlite" } } },
      { extends: true, test: { name: "redis", env: { ENGRAM_TEST_BACKEND: "redis" } } },
      {
        extends: true,
        test: {
          name: "redis-cluster",
          env: { ENGRAM_TEST_BACKEND: "redis-cluster" },
          globalSetup: [
            fileURLToPath(import.meta.resolve("@engram/core/testing/redis-cluster-global-setup")),
          ],
        },
      },
    ],
  },
});
