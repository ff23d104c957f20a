export interface RateLimitOptions {
  /** The most requests a key may make in a burst. */
  burst: number;
  /** Requests per second a key regains. */
  perSecond: number;
}

export interface RateLimiter {
  /** Takes one token for `key`; returns 0 when allowed, or the seconds to wait before retrying. */
  take(key: string): number;
}

/** A token bucket per key, in memory. Idle buckets are dropped so the map cannot grow without bound. */
export function createRateLimiter(
  options: RateLimitOptions,
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return {
    take(key) {
      const time = now();
      if (time - lastSweep > 60_000) {
        for (const [name, bucket] of buckets) {
          if (time - bucket.at > 60_000) buckets.delete(name);
        }
        lastSweep = time;
      }
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: time };
      bucket.tokens = Math.min(
        options.burst,
        bucket.tokens + ((time - bucket.at) / 1000) * options.perSecond,
      );
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    },
  };
}
