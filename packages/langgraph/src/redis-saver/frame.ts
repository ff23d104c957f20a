/**
 * Packs strings and byte arrays into one Buffer (each part length-prefixed), so a value keeps
 * its serializer type next to its bytes in a single hash field.
 */
export function frame(parts: readonly (string | Uint8Array)[]): Buffer {
  const buffers = parts.map((part) =>
    typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part),
  );
  const out = Buffer.allocUnsafe(buffers.reduce((sum, buffer) => sum + 4 + buffer.length, 0));
  let offset = 0;
  for (const buffer of buffers) {
    out.writeUInt32BE(buffer.length, offset);
    buffer.copy(out, offset + 4);
    offset += 4 + buffer.length;
  }
  return out;
}

/** Inverse of `frame`: the parts as Buffers. */
export function unframe(packed: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < packed.length) {
    const length = packed.readUInt32BE(offset);
    parts.push(packed.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return parts;
}
