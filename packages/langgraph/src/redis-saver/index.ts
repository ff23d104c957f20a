export type { RedisSaverOptions } from "./options.js";
export type { RedisClientLike } from "./redis-client.js";
export { RedisSaver } from "./redis-saver.js";
