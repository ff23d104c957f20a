export {
  EngramError,
  type EngramErrorCode,
  type EngramErrorDetails,
  type EngramErrorOptions,
} from "./engram-error.js";
