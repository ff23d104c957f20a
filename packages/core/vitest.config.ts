import { engramTestConfig } from "../../vitest.shared.ts";

export default engramTestConfig(import.meta.dirname, {
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["./test/redis-global-setup.ts"],
  },
});
