// Bundles the inspector page into dist/ui-assets (served at /ui). Runs after tsc in `build`.
import { copyFile, mkdir } from "node:fs/promises";
import { build } from "esbuild";

const here = new URL(".", import.meta.url);
const out = new URL("../dist/ui-assets/", import.meta.url);

await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: new URL("src/main.tsx", here).pathname },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: out.pathname,
  logLevel: "warning",
  legalComments: "none",
});
// The stylesheet is its own entry, so the page needs no inline styles (a strict CSP).
await build({
  entryPoints: { app: new URL("src/app.css", here).pathname },
  bundle: true,
  minify: true,
  outdir: out.pathname,
  logLevel: "warning",
});
await copyFile(new URL("index.html", here), new URL("index.html", out));
