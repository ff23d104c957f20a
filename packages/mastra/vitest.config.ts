import { fileURLToPath } from "node:url";
import { engramTestConfig } from "../../vitest.shared.ts";

export default engramTestConfig(import.meta.dirname, {
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: [fileURLToPath(import.meta.resolve("@engram/core/testing/redis-global-setup"))],
  },
});
