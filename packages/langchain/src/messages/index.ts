export { fromEngramMessage } from "./from-engram-message.js";
export { toEngramMessage } from "./to-engram-message.js";
