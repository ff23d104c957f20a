import { describeRetrieverBehaviour } from "../../test/retriever-behaviour.js";
import { redisTarget } from "../../test/targets.js";

describeRetrieverBehaviour("Redis", redisTarget);
