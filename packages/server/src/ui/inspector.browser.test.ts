import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_BACKEND, type TestServer } from "../testing/test-server.js";

// Debian's Chromium, never a downloaded browser; .ci/run installs it with apt when missing.
const CHROMIUM = process.env.ENGRAM_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const packageDir = fileURLToPath(new URL("../../", import.meta.url));
// The README's screenshot is rewritten only on request: UPDATE_SCREENSHOT=1.
const screenshotPath = process.env.UPDATE_SCREENSHOT
  ? `${packageDir}docs/inspector.png`
  : undefined;

let server: TestServer;
let browser: Browser;
let acme: string;
let globex: string;

beforeAll(async () => {
  if (!haveChromium) return;
  if (!existsSync(`${packageDir}dist/ui-assets/app.js`)) {
    execFileSync(process.execPath, ["ui/build.mjs"], { cwd: packageDir });
  }
  server = await startTestServer();
  acme = await server.key(["acme"], ["read", "write", "admin"]);
  globex = await server.key(["globex"], ["read", "write", "admin"]);
  const remember = (namespace: string[], content: string, kind = "fact") =>
    server.request("POST", "/v1/memories", { key: acme, body: { namespace, content, kind } });
  await remember(["team", "ops"], "Team deploys on Mondays");
  await remember(["team", "ops"], "Team deploys on Fridays");
  await remember(["team", "design"], "Designers prefer dark mode in every tool", "preference");
  await remember(["team", "design"], "The logo is teal");
  for (const word of ["one", "two", "three"]) await remember(["scratch", "tmp"], `note ${word}`);
  await server.request("POST", "/v1/memories", {
    key: globex,
    body: { namespace: ["secret"], content: "Globex launches in May" },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, key: string) {
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("scope").waitFor();
}

const treeCount = (page: Page, path: string) =>
  page.locator(`[data-testid="tree-node"][data-path="${path}"] [data-testid="tree-count"]`);

const resultIds = (page: Page) =>
  page.getByTestId("result").evaluateAll((items) => items.map((item) => item.dataset.id));

describe.skipIf(!haveChromium)(
  `the inspector in Chromium (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    it("shows, explains, edits and erases one tenant's memories, and nothing of another's", async () => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 760 } });
      const page = await context.newPage();
      page.on("dialog", (dialog) => void dialog.accept());
      await page.goto(`${server.url}/ui`);

      // The key is asked for, kept in sessionStorage and never put in the URL.
      await signIn(page, acme);
      expect(page.url()).toBe(`${server.url}/ui`);
      expect(await page.evaluate(() => sessionStorage.getItem("engram.apiKey"))).toBe(acme);

      // 2. The tree holds what was stored over REST, with subtree counts.
      await expect.poll(() => treeCount(page, "").textContent()).toBe("7");
      expect(await treeCount(page, "team").textContent()).toBe("4");
      expect(await treeCount(page, "team/ops").textContent()).toBe("2");
      expect(await treeCount(page, "scratch").textContent()).toBe("3");
      await page.locator('[data-path="team/ops"] .tree-name').click();
      await expect.poll(() => page.getByTestId("memory-row").count()).toBe(2);

      // 3. Search explains each result with bars.
      await page.getByRole("tab", { name: "search" }).click();
      await page.getByLabel("query").fill("team deploys");
      await page.getByLabel("mode").selectOption("keyword");
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => page.getByTestId("result").count()).toBe(2);
      const bars = page.getByTestId("result").first().locator(".bar");
      expect(
        await bars.evaluateAll((items) => items.map((item) => item.dataset.component)),
      ).toEqual(["keyword", "recency", "importance", "pinned", "access"]);
      const [first, second] = await resultIds(page);

      // 4. Pinning the second result moves it to the top.
      await page.locator(`[data-testid="result"][data-id="${second}"] [data-testid="pin"]`).click();
      await expect.poll(() => resultIds(page)).toEqual([second, first]);
      const pinnedBar = page.locator(
        `[data-testid="result"][data-id="${second}"] .bar[data-component="pinned"] .bar-value`,
      );
      expect(await pinnedBar.textContent()).toBe("1.00");

      // Live: a change made elsewhere streams in.
      await server.request("POST", "/v1/memories", {
        key: acme,
        body: { namespace: ["team", "ops"], content: "On-call rotates weekly" },
      });
      await page.getByRole("tab", { name: /live/ }).click();
      await expect.poll(() => page.getByTestId("events").textContent()).toContain("created");

      // 5. Forgetting a memory removes it from the list and the counts.
      await page.locator('[data-path="team/design"] .tree-name').click();
      await page.getByRole("tab", { name: "memories" }).click();
      await page.getByTestId("memory-row").filter({ hasText: "The logo is teal" }).click();
      await page.getByTestId("memory-detail").getByRole("button", { name: "Forget" }).click();
      await expect
        .poll(() => page.getByTestId("memory-row").allTextContents())
        .toEqual([expect.stringContaining("Designers prefer dark mode")]);
      await expect.poll(() => treeCount(page, "team/design").textContent()).toBe("1");

      // Conversations: a thread's messages and working memory.
      await server.request("POST", "/v1/threads/standup/messages?namespace=team/ops", {
        key: acme,
        body: {
          messages: [
            { role: "user", content: "Can we move the deploy to Tuesday?" },
            { role: "assistant", content: "Yes, Tuesday works for ops." },
          ],
        },
      });
      await server.request("PUT", "/v1/working-memory", {
        key: acme,
        body: {
          namespace: ["team", "ops"],
          threadId: "standup",
          content: { deployDay: "Tuesday" },
        },
      });
      await page.locator('[data-path="team"] .tree-name').click();
      await page.getByRole("tab", { name: "threads" }).click();
      await page.getByTestId("thread-row").filter({ hasText: "standup" }).click();
      await expect.poll(() => page.getByTestId("message").count()).toBe(2);
      expect(await page.getByTestId("working-memory").textContent()).toContain("Tuesday");

      // The screenshot for the README: a hybrid search with all six bars.
      await page.locator('[data-path="team"] .tree-name').click();
      await page.getByRole("tab", { name: "search" }).click();
      await page.getByLabel("query").fill("team deploys");
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => page.getByTestId("result").count()).toBeGreaterThan(1);
      await page.getByTestId("result").first().getByRole("button").first().click();
      await page.getByTestId("history").waitFor();
      if (screenshotPath && TEST_BACKEND === "sqlite") {
        await mkdir(`${packageDir}docs`, { recursive: true });
        await page.screenshot({ path: screenshotPath });
      }

      // 6. Erasing a subtree asks for its path and says how much goes.
      await page.locator('[data-path="scratch"] .tree-name').click();
      await page.getByRole("button", { name: "Erase subtree…" }).click();
      expect(await page.getByTestId("erase-count").textContent()).toContain("3 memories");
      const erase = page.getByRole("dialog").getByRole("button", { name: "Erase" });
      expect(await erase.isDisabled()).toBe(true);
      await page.getByLabel("confirm path").fill("scratch");
      await erase.click();
      await expect.poll(() => treeCount(page, "scratch").count()).toBe(0);
      expect(
        (await server.request("GET", "/v1/memories?within=scratch", { key: acme })).body,
      ).toMatchObject({ memories: [] });

      // 7. Another tenant's key sees none of it.
      await page.getByRole("button", { name: "Sign out" }).click();
      await signIn(page, globex);
      await expect.poll(() => treeCount(page, "").textContent()).toBe("1");
      expect(await treeCount(page, "team").count()).toBe(0);
      await page.getByRole("tab", { name: "search" }).click();
      await page.getByLabel("query").fill("team deploys");
      await page.getByLabel("mode").selectOption("keyword");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText("Nothing recalled.").waitFor();
      await page.getByRole("tab", { name: "memories" }).click();
      await expect
        .poll(() => page.getByTestId("memory-row").allTextContents())
        .toEqual([expect.stringContaining("Globex launches in May")]);
      await page.getByRole("tab", { name: "threads" }).click();
      await page.getByText("No threads here.").waitFor();
      await context.close();
    });
  },
);
