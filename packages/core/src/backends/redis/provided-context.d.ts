// What test/redis-global-setup.ts hands the Redis tests.
declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis the tests use: REDIS_URL, or a redis-server started for the run. */
    redisUrl: string;
  }
}

export {};
