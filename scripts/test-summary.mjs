// Sums the JSON reports the packages' vitest runs wrote, and prints one closing line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const files = readdirSync(dir).filter((name) => name.endsWith(".json"));
let passed = 0;
let failed = files.length === 0 ? 1 : 0;
let skipped = 0;
for (const name of files) {
  const report = JSON.parse(readFileSync(join(dir, name), "utf8"));
  // A test file that failed to load has no failed tests of its own: count it as one failure.
  const brokenFiles = report.testResults.filter(
    (file) =>
      file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
  ).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(
    `  ${name.replace(/\.json$/, "").padEnd(12)} ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed, ${report.numPendingTests} skipped`,
  );
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
