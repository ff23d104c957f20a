import { engramTestConfig } from "../../vitest.shared.ts";

export default engramTestConfig(import.meta.dirname, { test: { testTimeout: 300_000 } });
