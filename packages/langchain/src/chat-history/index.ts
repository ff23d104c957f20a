export {
  EngramChatMessageHistory,
  type EngramChatMessageHistoryOptions,
} from "./engram-chat-message-history.js";
