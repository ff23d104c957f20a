// What a newcomer does after the clone: pack every publishable package, install the tarballs
// into a plain npm project (third-party packages from the npm registry), run each package
// README's usage example there, and start `engram mcp` as the README configures it, through
// the MCP SDK's stdio client. Run it on Node 22.13+ (`pnpm newcomer` uses the workspace's 24).
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "engram-newcomer-"));
const tarballs = join(work, "tarballs");
const project = join(work, "project");
mkdirSync(tarballs);
mkdirSync(project);
// The examples and the CLI run on this Node; npm and npx find it first on PATH.
const env = {
  ...process.env,
  PATH: [join(project, "node_modules", ".bin"), dirname(process.execPath), process.env.PATH].join(
    delimiter,
  ),
  ENGRAM_HOME: join(work, "home"),
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};
const run = (command, args, options = {}) => {
  console.log(`$ ${command} ${args.join(" ")}`);
  return execFileSync(command, args, { stdio: ["ignore", "inherit", "inherit"], env, ...options });
};

let failed = 0;
let redisUrl;
let redisServer;
async function startRedis() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  redisServer = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const started = await new Promise((done) => {
    redisServer.once("error", () => done(false));
    setTimeout(() => done(redisServer.exitCode === null), 500);
  });
  return started ? `redis://127.0.0.1:${port}` : undefined;
}
try {
  const packages = readdirSync(join(root, "packages"))
    .map((name) => join(root, "packages", name))
    .filter((dir) => !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private);

  // 1. pack: pnpm rewrites workspace:* to the real versions, as a release would.
  for (const dir of packages) {
    run("npx", ["-y", "pnpm@10.34.8", "pack", "--pack-destination", tarballs], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const tarballOf = new Map(
    readdirSync(tarballs).map((file) => [
      `@engram/${file.replace(/^engram-/, "").replace(/-\d+\.\d+\.\d+.*\.tgz$/, "")}`,
      join(tarballs, file),
    ]),
  );

  // 2. install what each README's Install section says, @engram packages from the tarballs.
  const wanted = new Set();
  const examples = [];
  for (const dir of packages) {
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    const install = readme.split(/^## Install$/m)[1]?.split(/^## /m)[0] ?? "";
    for (const line of install.matchAll(/^npm i(?:nstall)? (.+)$/gm)) {
      for (const word of line[1].replace(/#.*/, "").trim().split(/\s+/)) {
        if (word.startsWith("-")) continue;
        wanted.add(tarballOf.get(word) ?? word);
      }
    }
    const usage = readme.split(/^## Usage$/m)[1]?.split(/^## /m)[0] ?? "";
    const code = /```ts\n([\s\S]*?)```/.exec(usage)?.[1];
    if (code) examples.push({ name: dir.split("/").at(-1), code });
  }
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "newcomer", private: true, type: "module" }, null, 2)}\n`,
  );
  run("npm", ["install", "--no-package-lock", ...wanted], { cwd: project });

  // 3. each README's usage example, as a file of its own. Examples written for a local Redis
  // get REDIS_URL, else a redis-server of their own.
  for (const { name, code } of examples) {
    const file = join(project, `${name}-example.ts`);
    let source = code;
    if (source.includes("redis://localhost:6379")) {
      redisUrl ??= process.env.REDIS_URL ?? (await startRedis());
      if (!redisUrl) {
        console.log(
          `skipped: ${name} README example (it needs Redis: set REDIS_URL or install redis-server)`,
        );
        continue;
      }
      source = source.replaceAll("redis://localhost:6379", redisUrl);
    }
    writeFileSync(file, source);
    try {
      run(process.execPath, [file], { cwd: project });
      console.log(`ok: ${name} README example`);
    } catch {
      failed++;
      console.log(`FAILED: ${name} README example`);
    }
  }

  // 4. the engram command, and `engram mcp` from the README's config through an MCP client.
  const mcpCheck = join(project, "mcp-check.mjs");
  writeFileSync(
    mcpCheck,
    `import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
const client = new Client({ name: "newcomer", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command: "engram", args: ["mcp", "--namespace", "me"], env: process.env, stderr: "inherit" }));
const tools = (await client.listTools()).tools.map((tool) => tool.name);
if (!tools.includes("remember") || !tools.includes("recall")) throw new Error("tools: " + tools);
const stored = await client.callTool({ name: "remember", arguments: { namespace: ["me"], content: "The newcomer check ran" } });
if (stored.isError) throw new Error(JSON.stringify(stored.content));
const found = await client.callTool({ name: "recall", arguments: { namespace: ["me"], query: "newcomer check" } });
if (found.isError || !JSON.stringify(found.content).includes("newcomer check ran")) throw new Error(JSON.stringify(found.content));
await client.close();
console.log("tools:", tools.join(", "));
`,
  );
  const steps = [
    ["engram", ["--help"]],
    [process.execPath, [mcpCheck]],
    ["engram", ["stats"]],
  ];
  for (const [command, args] of steps) {
    try {
      run(command, args, { cwd: project });
      console.log(
        `ok: ${[command.split("/").at(-1), ...args.map((arg) => arg.split("/").at(-1))].join(" ")}`,
      );
    } catch {
      failed++;
      console.log(`FAILED: ${command} ${args.join(" ")}`);
    }
  }
  // 5. from the clone, exactly as the README documents it: `node scripts/engram.mjs export >
  // file` prints only what engram prints, so the file imports whole.
  try {
    const engram = [join(root, "scripts", "engram.mjs")];
    const exported = execFileSync("node", [...engram, "export"], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    const file = join(work, "export.jsonl");
    writeFileSync(file, exported);
    const restored = execFileSync("node", [...engram, "import", file], {
      cwd: root,
      env: { ...env, ENGRAM_HOME: join(work, "home-2") },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines = exported.trim().split("\n");
    if (!lines.every((line) => line.startsWith("{")) || lines.length !== 1)
      throw new Error(exported);
    console.log(
      `ok: node scripts/engram.mjs export > file; node scripts/engram.mjs import file ${restored.trim()}`,
    );
  } catch (error) {
    failed++;
    console.log(`FAILED: node scripts/engram.mjs export/import round trip: ${error.message}`);
  }
  // 6. the root README's demo and the quickstart's `ask`, from the clone, as documented.
  try {
    const pnpm = ["-y", "pnpm@10.34.8"];
    const demo = execFileSync("npx", [...pnpm, "demo"], { cwd: root, env, encoding: "utf8" });
    if (!/PostgreSQL/.test(demo)) throw new Error(demo);
    const answer = execFileSync("npx", [...pnpm, "-s", "ask", "Who should I page tonight?"], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    if (!/1\. \[[\d.]+\] Priya is on call/.test(answer)) throw new Error(answer);
    console.log("ok: pnpm demo; pnpm -s ask 'Who should I page tonight?'");
  } catch (error) {
    failed++;
    console.log(`FAILED: pnpm demo / pnpm -s ask: ${error.message}`);
  }
  if (!existsSync(join(work, "home", "memory.db"))) {
    failed++;
    console.log("FAILED: engram mcp did not write to the per-user data directory (ENGRAM_HOME)");
  }
} finally {
  redisServer?.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(failed === 0 ? "newcomer check: all passed" : `newcomer check: ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
