import { describeHistoryBehaviour } from "../../test/history-behaviour.js";
import { redisTarget } from "../../test/targets.js";

describeHistoryBehaviour("Redis", redisTarget);
