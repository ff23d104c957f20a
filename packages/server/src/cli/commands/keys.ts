import { existsSync } from "node:fs";
import type { Command } from "commander";
import { fileKeyStore } from "../../auth/file-key-store.js";
import { KEY_SCOPES, type KeyScope } from "../../tenancy/principal.js";
import { defaultKeyFile } from "../data-directory.js";
import { namespaceOption } from "../namespace-option.js";
import { runAction } from "../run-action.js";

function parseScopes(value: string): KeyScope[] {
  const scopes = value.split(",").map((scope) => scope.trim());
  for (const scope of scopes) {
    if (!KEY_SCOPES.includes(scope as KeyScope)) {
      throw new Error(`Unknown scope "${scope}"; scopes are ${KEY_SCOPES.join(", ")}.`);
    }
  }
  return scopes as KeyScope[];
}

/** `engram keys create | list | revoke`. */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("Manage API keys (stored hashed; a key is shown once, when created)")
    .option(
      "--keys <path>",
      "API key file (default: keys.json in the per-user data directory, or ENGRAM_KEYS)",
    );
  const keyPath = (): string => keys.opts().keys ?? defaultKeyFile();
  const store = () => fileKeyStore({ path: keyPath() });
  // Reading a key file that does not exist creates nothing and says so.
  const existingStore = () => {
    if (!existsSync(keyPath()))
      throw new Error(`No key file at ${keyPath()}: create a key with \`engram keys create\`.`);
    return store();
  };

  keys
    .command("create")
    .description("Create a key confined to a namespace root; prints the key once")
    .requiredOption("--root <a/b>", "the namespace root every request is confined to")
    .option("--scopes <list>", "comma-separated: read, write, admin", "read,write")
    .option("--name <name>", "a label to recognise the key by")
    .action(
      runAction(async (options: { root: string; scopes: string; name?: string }) => {
        const { key, secret } = await store().create({
          root: namespaceOption(options.root),
          scopes: parseScopes(options.scopes),
          name: options.name,
        });
        process.stderr.write(
          `engram: created key ${key.id} for ${key.root.join("/")} (${key.scopes.join(",")}); it is shown only now:\n`,
        );
        process.stdout.write(`${secret}\n`);
      }),
    );

  keys
    .command("list")
    .description("List keys (never their secrets)")
    .option("--json", "print JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const all = await existingStore().list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        if (all.length === 0) process.stderr.write("engram: no keys\n");
        for (const key of all) {
          process.stdout.write(
            `${key.id}  ${key.root.join("/")}  ${key.scopes.join(",")}  ${key.createdAt}${key.name ? `  ${key.name}` : ""}\n`,
          );
        }
      }),
    );

  keys
    .command("revoke")
    .description("Revoke a key by id; a running server stops accepting it at once")
    .argument("<id>", "the key id from `engram keys list`")
    .action(
      runAction(async (id: string) => {
        if (!(await existingStore().revoke(id))) throw new Error(`No key with id ${id}.`);
        process.stderr.write(`engram: revoked key ${id}\n`);
      }),
    );
}
