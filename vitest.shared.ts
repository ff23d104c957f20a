import { basename } from "node:path";
import { defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config";

/**
 * The settings every package's tests share. When ENGRAM_TEST_REPORT_DIR is set (CI does),
 * each package also writes a JSON report there, so CI can print one total for the repo.
 */
export function engramTestConfig(
  packageDir: string,
  overrides: ViteUserConfig = {},
): ViteUserConfig {
  const reportDir = process.env.ENGRAM_TEST_REPORT_DIR;
  const base = defineConfig({
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...(reportDir
        ? {
            reporters: ["default", "json"],
            outputFile: { json: `${reportDir}/${basename(packageDir)}.json` },
          }
        : {}),
    },
  });
  return mergeConfig(base, overrides);
}
