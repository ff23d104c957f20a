import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "engram";
const SECRET_FORMAT = /^engram_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** A fresh key id and its secret, `engram_<id>_<32 random bytes, base64url>`. */
export function generateKeySecret(): { id: string; secret: string } {
  const id = randomBytes(8).toString("hex");
  return { id, secret: `${PREFIX}_${id}_${randomBytes(32).toString("base64url")}` };
}

/** The key id a secret names, or `undefined` when it is not shaped like one of ours. */
export function keyIdOf(secret: string): string | undefined {
  return SECRET_FORMAT.exec(secret)?.[1];
}

/** SHA-256 of the secret, hex: high-entropy secrets need no slow hash. */
export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Compares a secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashKeySecret(secret), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
