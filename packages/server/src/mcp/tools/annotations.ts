import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

// What each tool tells a client about its effects; every tool stays inside Engram's store.

/** Reads only. */
export const READS: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

/** Adds to the store and changes nothing already there; a repeat may add again. */
export const ADDS: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  openWorldHint: false,
};

/** Adds to the store and changes nothing already there; a repeat adds nothing more. */
export const ADDS_ONCE: ToolAnnotations = { ...ADDS, idempotentHint: true };

/** Replaces or removes what is there; a repeat changes nothing more. */
export const REPLACES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};
