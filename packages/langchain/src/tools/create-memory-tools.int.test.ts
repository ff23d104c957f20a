import { redisTarget } from "../../test/targets.js";
import { describeToolsBehaviour } from "../../test/tools-behaviour.js";

describeToolsBehaviour("Redis", redisTarget);
