export {
  type BackgroundWrites,
  type BackgroundWritesOptions,
  createBackgroundWrites,
} from "./create-background-writes.js";
