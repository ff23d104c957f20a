import { describeMiddlewarePersistence } from "../../test/middleware-persist-behaviour.js";
import { describeMiddlewareRecall } from "../../test/middleware-recall-behaviour.js";
import { redisTarget } from "../../test/targets.js";

describeMiddlewareRecall("Redis", redisTarget);
describeMiddlewarePersistence("Redis", redisTarget);
