#!/usr/bin/env node
// `node scripts/engram.mjs <command>`: the `engram` CLI from a clone. It builds what is stale
// (build output goes to stderr, so stdout is only what engram prints) and runs the CLI on the
// workspace's Node 24, whatever Node runs this file. It is not a pnpm script on purpose:
// `pnpm run` reports Ctrl-C as a failure (`ELIFECYCLE Command failed`, exit 130) however
// cleanly the server stops, so the documented way to run `engram serve` is this file.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const windows = process.platform === "win32";
const bin = (name) => join(root, "node_modules", ".bin", windows ? `${name}.cmd` : name);
const cli = join(root, "packages", "server", "dist", "cli", "main.js");

/** The newest modification time of a file or of any file beneath a directory. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** True when a package's sources changed after its build (or it was never built). */
function stale(name, output, sources) {
  const directory = join(root, "packages", name);
  const built = existsSync(join(directory, output)) ? statSync(join(directory, output)).mtimeMs : 0;
  return sources.some((source) => newest(join(directory, source)) > built);
}

// The signal a terminal or a process manager sends goes to whichever child runs now: the build,
// then the CLI (which ignores a repeated signal while it stops).
let child;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(signal, () => (child ? child.kill(signal) : process.exit(130)));
const run = (command, args, stdio) =>
  new Promise((resolve) => {
    child = spawn(command, args, { cwd: root, stdio, shell: windows && command !== node });
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 1)));
  });

// The workspace's Node (the `node` devDependency) has node:sqlite whatever Node runs this file.
const workspaceNode = join(root, "node_modules", "node", "bin", windows ? "node.exe" : "node");
const node = existsSync(workspaceNode) ? workspaceNode : process.execPath;

if (!existsSync(bin("turbo"))) {
  process.stderr.write("engram: run `npx -y pnpm@10.34.8 install` in the clone first\n");
  process.exit(1);
}
const sources = ["src", "package.json", "tsconfig.build.json"];
if (
  stale("core", "dist/index.js", sources) ||
  stale("server", "dist/cli/main.js", [...sources, "ui"])
) {
  // turbo needs pnpm on the PATH: it is there when pnpm runs this file, else npx brings it.
  const turbo = [
    "turbo",
    "run",
    "build",
    "--filter=@engram/server...",
    "--output-logs=errors-only",
  ];
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this launcher, not by a turbo task
  const [command, args] = process.env.npm_execpath?.includes("pnpm")
    ? [bin("turbo"), turbo.slice(1)]
    : ["npx", ["--yes", "pnpm@10.34.8", "--silent", "exec", ...turbo]];
  const built = await run(command, args, ["ignore", process.stderr, process.stderr]);
  if (built !== 0) process.exit(built);
  // A build turbo restored from its cache keeps old times: mark the outputs current.
  const now = new Date();
  for (const output of ["core/dist/index.js", "server/dist/cli/main.js"])
    utimesSync(join(root, "packages", output), now, now);
}
process.exit(await run(node, [cli, ...process.argv.slice(2)], "inherit"));
