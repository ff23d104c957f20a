import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toEngramError } from "../errors/to-engram-error.js";

/** Runs a tool's work and returns its result as JSON text, or the EngramError as a tool error. */
export async function toolResult(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const value = await work();
    return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
  } catch (error) {
    const engramError = toEngramError(error);
    return {
      isError: true,
      content: [{ type: "text", text: JSON.stringify(engramError.toJSON()) }],
    };
  }
}
