#!/usr/bin/env node
// `node scripts/engram.mjs <command>`: the `engram` CLI from a clone. It builds what is missing
// (build output goes to stderr, so stdout is only what engram prints) and runs the CLI on the
// workspace's Node 24, whatever Node runs this file. It is not a pnpm script on purpose:
// `pnpm run` reports Ctrl-C as a failure (`ELIFECYCLE Command failed`, exit 130) however
// cleanly the server stops, so the documented way to run `engram serve` is this file.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const windows = process.platform === "win32";
const bin = (name) => join(root, "node_modules", ".bin", windows ? `${name}.cmd` : name);
const cli = join(root, "packages", "server", "dist", "cli", "main.js");

if (!existsSync(bin("turbo"))) {
  process.stderr.write("engram: run `npx -y pnpm@10.34.8 install` in the clone first\n");
  process.exit(1);
}
// turbo needs pnpm on the PATH: it is there when pnpm runs this file, else npx brings it.
const turbo = ["turbo", "run", "build", "--filter=@engram/server...", "--output-logs=errors-only"];
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this launcher, not by a turbo task
const [command, args] = process.env.npm_execpath?.includes("pnpm")
  ? [bin("turbo"), turbo.slice(1)]
  : ["npx", ["--yes", "pnpm@10.34.8", "--silent", "exec", ...turbo]];
const build = spawnSync(command, args, {
  cwd: root,
  stdio: ["ignore", process.stderr, process.stderr],
  shell: windows,
});
if (build.status !== 0) process.exit(build.status ?? 1);

// The workspace's Node (the `node` devDependency) has node:sqlite whatever Node runs this file.
const workspaceNode = join(root, "node_modules", "node", "bin", windows ? "node.exe" : "node");
const node = existsSync(workspaceNode) ? workspaceNode : process.execPath;
const child = spawn(node, [cli, ...process.argv.slice(2)], { stdio: "inherit" });
// A terminal's Ctrl-C reaches the CLI itself too; forwarding covers a signal sent to this
// process alone (a process manager). The CLI ignores a repeated signal while it stops.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
