import { sqliteTarget } from "../../test/targets.js";
import { describeToolsBehaviour } from "../../test/tools-behaviour.js";

describeToolsBehaviour("SQLite", sqliteTarget);
