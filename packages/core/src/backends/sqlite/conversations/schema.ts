/**
 * Threads, messages and working memory. A message's place is (created_at, seq): `seq` counts
 * appends within its thread, so equal times keep append order, and `messages_order` makes the
 * last-N and paging reads an index range, O(log n) however long the thread.
 */
export const CONVERSATION_SCHEMA = `
CREATE TABLE IF NOT EXISTS threads (
  rid           INTEGER PRIMARY KEY,
  namespace     TEXT NOT NULL,
  id            TEXT NOT NULL,
  title         TEXT,
  metadata      TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0,
  last_seq      INTEGER NOT NULL DEFAULT 0,
  summary       TEXT,
  ingest_seq    INTEGER NOT NULL DEFAULT 0,
  ingest_owner  TEXT,
  ingest_until  INTEGER,
  UNIQUE (namespace, id)
) STRICT;
CREATE INDEX IF NOT EXISTS threads_namespace_updated ON threads (namespace, updated_at, id);
CREATE INDEX IF NOT EXISTS threads_id ON threads (id);

CREATE TABLE IF NOT EXISTS messages (
  thread_rid INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  id         TEXT NOT NULL,
  role       TEXT NOT NULL,
  content    TEXT NOT NULL,
  metadata   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (thread_rid, seq)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS messages_thread_id ON messages (thread_rid, id);
CREATE INDEX IF NOT EXISTS messages_order ON messages (thread_rid, created_at, seq);
CREATE INDEX IF NOT EXISTS messages_id ON messages (id);

-- thread_id '' is the namespace's own document; a thread's is erased with the thread.
CREATE TABLE IF NOT EXISTS working_memories (
  namespace  TEXT NOT NULL,
  thread_id  TEXT NOT NULL,
  content    TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (namespace, thread_id)
) STRICT, WITHOUT ROWID;
`;
