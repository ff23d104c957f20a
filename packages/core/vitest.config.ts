import { engramTestConfig } from "../../vitest.shared.ts";

export default engramTestConfig(import.meta.dirname, {
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["./src/testing/redis-global-setup.ts"],
  },
});
