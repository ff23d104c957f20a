import { describeHistoryBehaviour } from "../../test/history-behaviour.js";
import { sqliteTarget } from "../../test/targets.js";

describeHistoryBehaviour("SQLite", sqliteTarget);
