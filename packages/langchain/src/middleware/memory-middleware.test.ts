import { describeMiddlewarePersistence } from "../../test/middleware-persist-behaviour.js";
import { describeMiddlewareRecall } from "../../test/middleware-recall-behaviour.js";
import { sqliteTarget } from "../../test/targets.js";

describeMiddlewareRecall("SQLite", sqliteTarget);
describeMiddlewarePersistence("SQLite", sqliteTarget);
