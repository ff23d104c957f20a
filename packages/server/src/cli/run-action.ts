import { EngramError } from "@engram/core";

/** Wraps a command's action so any failure is one clear line on stderr and a non-zero exit. */
export function runAction<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      const message = EngramError.isInstance(error)
        ? `${error.message}${error.code === "INVALID_NAMESPACE" ? " (write namespaces as a/b/c)" : ""}`
        : error instanceof Error
          ? error.message
          : String(error);
      process.stderr.write(`engram: ${message.split("\n")[0]}\n`);
      process.exitCode = 1;
      // A storage client that keeps reconnecting must not keep a failed command alive.
      setTimeout(() => process.exit(1), 200).unref();
    }
  };
}
