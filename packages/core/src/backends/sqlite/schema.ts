/**
 * Bumped when the layout changes; stored in `meta` so a newer file is never misread. 2 added
 * conversations: an older Engram would not erase them with their namespace, so it must refuse.
 * 3 numbers events per tenant: an older Engram would log events no subscriber sees.
 */
export const SCHEMA_VERSION = 3;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS memories (
  rid              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  namespace        TEXT NOT NULL,
  content          TEXT NOT NULL,
  kind             TEXT NOT NULL,
  mkey             TEXT,
  metadata         TEXT NOT NULL,
  tags             TEXT NOT NULL,
  importance       REAL NOT NULL,
  pinned           INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  last_accessed_at INTEGER,
  access_count     INTEGER NOT NULL,
  expires_at       INTEGER,
  content_hash     TEXT NOT NULL,
  embedding_model  TEXT NOT NULL,
  dimensions       INTEGER NOT NULL
) STRICT;

-- Vectors live apart so that filtering scans over memories stay small and fast.
CREATE TABLE IF NOT EXISTS memory_vectors (
  rid       INTEGER PRIMARY KEY,
  embedding BLOB NOT NULL
) STRICT;

-- Each memory's 512-bit LSH signature (retrieval/lsh-signature.ts), for near-duplicate
-- candidates. Stores from before this table get theirs computed on first use.
CREATE TABLE IF NOT EXISTS memory_signatures (
  rid       INTEGER PRIMARY KEY,
  signature BLOB NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS memories_signature_delete AFTER DELETE ON memories BEGIN
  DELETE FROM memory_signatures WHERE rid = old.rid;
END;

CREATE UNIQUE INDEX IF NOT EXISTS memories_namespace_key ON memories (namespace, mkey) WHERE mkey IS NOT NULL;
CREATE INDEX IF NOT EXISTS memories_namespace_id ON memories (namespace, id);
CREATE INDEX IF NOT EXISTS memories_namespace_expiry ON memories (namespace, expires_at);
-- Covers countNamespaces (range on namespace, expiry check, group by kind) without row reads.
CREATE INDEX IF NOT EXISTS memories_namespace_kind ON memories (namespace, kind, expires_at);
CREATE INDEX IF NOT EXISTS memories_content_hash ON memories (content_hash);
CREATE INDEX IF NOT EXISTS memories_expires_at ON memories (expires_at) WHERE expires_at IS NOT NULL;

-- The durable change log subscribers read. AUTOINCREMENT: a sequence number is never reused,
-- so a subscriber's \`since\` always means the same point. A tenant (first namespace segment)
-- sees its own numbering, tenant_seq, so its event ids say nothing of other tenants' writes.
CREATE TABLE IF NOT EXISTS events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace  TEXT NOT NULL,
  type       TEXT NOT NULL,
  memory_id  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  at         INTEGER NOT NULL,
  tenant     TEXT NOT NULL DEFAULT '',
  tenant_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
-- Each tenant's last event number; kept when the log is trimmed, so a number is never reused.
CREATE TABLE IF NOT EXISTS event_counters (
  tenant TEXT PRIMARY KEY,
  seq    INTEGER NOT NULL
) STRICT;

-- Every change to a memory, kept after the memory is deleted; erased with its namespace.
CREATE TABLE IF NOT EXISTS history (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  memory_id TEXT NOT NULL,
  namespace TEXT NOT NULL,
  action    TEXT NOT NULL,
  before    TEXT,
  after     TEXT,
  at        INTEGER NOT NULL,
  source    TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS history_memory ON history (memory_id, seq);
CREATE INDEX IF NOT EXISTS history_namespace ON history (namespace);
CREATE INDEX IF NOT EXISTS memories_namespace_hash ON memories (namespace, content_hash);

CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5 (
  content,
  content = 'memories',
  content_rowid = 'rid',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS memories_fts_insert AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts (rowid, content) VALUES (new.rid, new.content);
END;
CREATE TRIGGER IF NOT EXISTS memories_fts_delete AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.rid, old.content);
  DELETE FROM memory_vectors WHERE rid = old.rid;
END;
CREATE TRIGGER IF NOT EXISTS memories_fts_update AFTER UPDATE OF content ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.rid, old.content);
  INSERT INTO memories_fts (rowid, content) VALUES (new.rid, new.content);
END;
`;
