export { DEFAULT_SQLITE_PATH, type SqliteBackendOptions, sqliteBackend } from "./sqlite-backend.js";
