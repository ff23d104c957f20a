import { createHash } from "node:crypto";

/** SHA-256 of the text, hex: the key for dedup and for the embedding cache. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
