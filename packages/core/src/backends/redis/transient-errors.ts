import { EngramError } from "../../errors/engram-error.js";

/** Redis answers LOADING while it reads its RDB/AOF after a restart: the command did not run. */
export function isLoading(error: unknown): boolean {
  return error instanceof Error && /^LOADING\b/.test(error.message);
}

/**
 * Errors a cluster answers while a slot moves or fails over, each meaning the command (or the
 * whole MULTI/EXEC, which Redis then discards) did not run: TRYAGAIN for a multi-key command
 * whose keys are split mid-migration, ASK/MOVED that reached a transaction, CLUSTERDOWN while a
 * replica is being promoted.
 */
export function isSlotMoving(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/^(TRYAGAIN|CLUSTERDOWN|MOVED|ASK)\b/.test(error.message)) return true;
  // A transaction's queued replies: EXECABORT for any other reason (OOM, a bad command) is
  // not a moving slot, and retrying it would only delay the error.
  const replies = (error as { replies?: unknown[] }).replies;
  return Array.isArray(replies) && replies.some((reply) => isSlotMoving(reply));
}

// What node-redis and the socket say when the server cannot be reached or went away.
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|socket closed|client is closed|connection timeout|Socket closed unexpectedly/i;

/** Whether an error means Redis could not be reached (or is still loading), not a bad command. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.constructor?.name ?? error.name;
  return (
    isLoading(error) ||
    /ClientClosed|SocketClosed|ConnectionTimeout|ClientOffline|Reconnect/.test(name) ||
    UNREACHABLE.test(error.message)
  );
}

/**
 * A Redis failure as an EngramError: `BACKEND_UNAVAILABLE` when the server cannot be reached or
 * is loading (retrying later may work), `BACKEND_ERROR` otherwise. The driver's message stays in
 * `cause` only, since it may name hosts and internals.
 */
export function redisFailure(what: string, error: unknown): EngramError {
  if (EngramError.isInstance(error)) return error;
  return isUnreachable(error)
    ? new EngramError("BACKEND_UNAVAILABLE", `Redis is unavailable (${what}).`, { cause: error })
    : new EngramError("BACKEND_ERROR", `Redis ${what} failed.`, { cause: error });
}

/**
 * Runs `work`, and while Redis answers LOADING (or a cluster says a slot is moving) waits and
 * runs it again, for at most `waitMs`: such a reply means nothing ran, so running again is safe.
 */
export async function retryWhileLoading<T>(work: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await work();
    } catch (error) {
      if (!(isLoading(error) || isSlotMoving(error)) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
