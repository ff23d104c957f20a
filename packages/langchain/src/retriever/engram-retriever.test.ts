import { describeRetrieverBehaviour } from "../../test/retriever-behaviour.js";
import { sqliteTarget } from "../../test/targets.js";

describeRetrieverBehaviour("SQLite", sqliteTarget);
