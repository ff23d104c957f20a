import { EngramError } from "../errors/engram-error.js";

/** The error every backend gives for a `since` it did not hand out; nothing is read. */
export function invalidSince(since: string): EngramError {
  return new EngramError(
    "INVALID_ARGUMENT",
    `since must be an event id from this store; got ${JSON.stringify(since.slice(0, 64))}.`,
    { details: { issues: [{ path: ["since"], message: "not an event id" }] } },
  );
}
