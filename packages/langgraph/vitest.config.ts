import { fileURLToPath } from "node:url";
import { engramTestConfig } from "../../vitest.shared.ts";

export default engramTestConfig(import.meta.dirname, {
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: [fileURLToPath(import.meta.resolve("@engram/core/testing/redis-global-setup"))],
    // The official checkpoint validation suite registers its tests through globals.
    globals: true,
  },
});
