import { THREAD_FIELDS } from "./codec.js";
import { redisScript } from "./run-script.js";

// A thread's record fields, read inside scripts as reads outside them do.
const THREAD_RECORD = `redis.call('HMGET', KEYS[1], ${THREAD_FIELDS.map((field) => `'${field}'`).join(", ")})`;

// Lua helpers shared by the scripts below. A message id's "homes" are the ids of the threads
// in one namespace that hold it, newline-separated (ids never hold control characters).
const HOMES = `
local function addHome(key, id, thread)
  local home = redis.call('HGET', key, id)
  if not home then redis.call('HSET', key, id, thread) return end
  for t in string.gmatch(home, '[^\\n]+') do if t == thread then return end end
  redis.call('HSET', key, id, home .. '\\n' .. thread)
end
local function removeHome(key, id, thread)
  local home = redis.call('HGET', key, id)
  if not home then return end
  local kept = {}
  for t in string.gmatch(home, '[^\\n]+') do if t ~= thread then kept[#kept + 1] = t end end
  if #kept == 0 then redis.call('HDEL', key, id) else redis.call('HSET', key, id, table.concat(kept, '\\n')) end
end
`;

/**
 * Appends messages to a thread (creating it per mode), skipping ids it holds. KEYS: thread,
 * messages, order, appends, namespace threads, conversation namespaces, thread homes, message
 * homes. ARGV: mode, at, namespace, thread id, has title, title, metadata, createdAt, updatedAt,
 * then per message: id, 16-digit createdAt, body. Returns {status, thread fields, stored values...}.
 */
export const APPEND = redisScript(`${HOMES}
local exists = redis.call('EXISTS', KEYS[1]) == 1
if not exists then
  if ARGV[1] == 'must-exist' then return {'missing'} end
  redis.call('HSET', KEYS[1], 'id', ARGV[4], 'namespace', ARGV[3], 'metadata', ARGV[7],
    'createdAt', ARGV[8], 'updatedAt', ARGV[9], 'messageCount', 0, 'lastSeq', 0)
  if ARGV[5] == '1' then redis.call('HSET', KEYS[1], 'title', ARGV[6]) end
  redis.call('ZADD', KEYS[5], ARGV[9], ARGV[4])
  redis.call('ZADD', KEYS[6], 0, ARGV[3])
  redis.call('ZADD', KEYS[7], 0, ARGV[3])
elseif ARGV[1] == 'must-create' then
  return {'exists'}
end
local seq = tonumber(redis.call('HGET', KEYS[1], 'lastSeq'))
local added = 0
local stored = {}
for i = 10, #ARGV, 3 do
  local id = ARGV[i]
  local value = redis.call('HGET', KEYS[2], id)
  if not value then
    seq = seq + 1
    local key = ARGV[i + 1] .. string.format('%012d', seq)
    value = key .. ARGV[i + 2]
    redis.call('HSET', KEYS[2], id, value)
    redis.call('ZADD', KEYS[3], 0, key .. id)
    redis.call('ZADD', KEYS[4], seq, id)
    addHome(KEYS[8], id, ARGV[4])
    added = added + 1
  end
  stored[#stored + 1] = value
end
if added > 0 then
  redis.call('HSET', KEYS[1], 'lastSeq', seq, 'updatedAt', ARGV[2])
  redis.call('HINCRBY', KEYS[1], 'messageCount', added)
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[4])
end
local out = {'appended', ${THREAD_RECORD}}
for _, value in ipairs(stored) do out[#out + 1] = value end
return out
`);

/**
 * A window of messages: ZRANGE BYLEX over the order set, then the bodies. KEYS: order,
 * messages. ARGV: direction, min bound, max bound, limit. Returns {id, value, ...}.
 */
export const WINDOW = redisScript(`
local members
if ARGV[1] == 'forward' then
  members = redis.call('ZRANGE', KEYS[1], ARGV[2], ARGV[3], 'BYLEX', 'LIMIT', 0, ARGV[4])
else
  members = redis.call('ZRANGE', KEYS[1], ARGV[3], ARGV[2], 'BYLEX', 'REV', 'LIMIT', 0, ARGV[4])
end
if #members == 0 then return {} end
local ids = {}
for i, member in ipairs(members) do ids[i] = string.sub(member, 29) end
local values = redis.call('HMGET', KEYS[2], unpack(ids))
local out = {}
for i = 1, #ids do out[#out + 1] = ids[i]; out[#out + 1] = values[i] end
return out
`);

/** Messages appended after a sequence number. KEYS: appends, messages. ARGV: after, limit. */
export const APPENDED = redisScript(`
local ids = redis.call('ZRANGE', KEYS[1], '(' .. ARGV[1], '+inf', 'BYSCORE', 'LIMIT', 0, ARGV[2])
if #ids == 0 then return {} end
local values = redis.call('HMGET', KEYS[2], unpack(ids))
local out = {}
for i = 1, #ids do out[#out + 1] = ids[i]; out[#out + 1] = values[i] end
return out
`);

/**
 * Replaces a message's body, keeping its place. KEYS: thread, messages, namespace threads.
 * ARGV: id, body, at, thread id. Returns the new value, or nil when the message is missing.
 */
export const UPDATE_MESSAGE = redisScript(`
local value = redis.call('HGET', KEYS[2], ARGV[1])
if not value then return false end
value = string.sub(value, 1, 28) .. ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], value)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return value
`);

/**
 * Deletes messages by id. KEYS: thread, messages, order, appends, namespace threads, message
 * homes. ARGV: at, thread id, ids... Returns how many existed.
 */
export const DELETE_MESSAGES = redisScript(`${HOMES}
local deleted = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local value = redis.call('HGET', KEYS[2], id)
  if value then
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZREM', KEYS[3], string.sub(value, 1, 28) .. id)
    redis.call('ZREM', KEYS[4], id)
    removeHome(KEYS[6], id, ARGV[2])
    deleted = deleted + 1
  end
end
if deleted > 0 then
  redis.call('HINCRBY', KEYS[1], 'messageCount', -deleted)
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
  redis.call('ZADD', KEYS[5], ARGV[1], ARGV[2])
end
return deleted
`);

/**
 * Deletes a thread and everything kept for it. KEYS: thread, messages, order, appends,
 * namespace threads, thread homes, message homes. ARGV: thread id, namespace. Returns 1 or 0.
 */
export const DELETE_THREAD = redisScript(`${HOMES}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do removeHome(KEYS[7], id, ARGV[1]) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[2])
return 1
`);

/**
 * Sets or clears the title and replaces metadata of an existing thread. KEYS: thread,
 * namespace threads. ARGV: at, thread id, title mode (keep|set|clear), title, metadata mode
 * (keep|set), metadata. Returns the thread's record fields, or nil when missing.
 */
export const UPDATE_THREAD = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if ARGV[3] == 'set' then redis.call('HSET', KEYS[1], 'title', ARGV[4]) end
if ARGV[3] == 'clear' then redis.call('HDEL', KEYS[1], 'title') end
if ARGV[5] == 'set' then redis.call('HSET', KEYS[1], 'metadata', ARGV[6]) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return ${THREAD_RECORD}
`);

/** Sets a field of an existing hash. KEYS: hash. ARGV: field, value. Returns 1 or 0. */
export const SET_IF_EXISTS = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/**
 * A versioned working-memory write. KEYS: the document's hash (the namespace's, or the
 * thread's), conversation namespaces. ARGV: expected version ('' for any), content, at,
 * namespace, prefix of the fields ('' for a namespace's hash, 'wm' in a thread's).
 * Returns {'written', version}, {'conflict', stored version} or {'missing'} (no thread).
 */
export const WRITE_WORKING_MEMORY = redisScript(`
local f = ARGV[5]
local versionField = f == '' and 'version' or f .. 'Version'
if f ~= '' and redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
local current = tonumber(redis.call('HGET', KEYS[1], versionField) or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return {'conflict', current} end
redis.call('HSET', KEYS[1], f == '' and 'content' or f, ARGV[2], versionField, current + 1,
  f == '' and 'updatedAt' or f .. 'UpdatedAt', ARGV[3])
if f == '' then redis.call('ZADD', KEYS[2], 0, ARGV[4]) end
return {'written', current + 1}
`);

/**
 * Takes a thread's ingest lease unless another owner holds an unexpired one. KEYS: thread.
 * ARGV: owner, until, now. Returns {'claimed', ingest seq}, {'busy'} or {'missing'}.
 */
export const CLAIM_INGEST = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
local owner = redis.call('HGET', KEYS[1], 'ingestOwner')
local untilAt = tonumber(redis.call('HGET', KEYS[1], 'ingestUntil') or '0')
if owner and owner ~= ARGV[1] and untilAt > tonumber(ARGV[3]) then return {'busy'} end
redis.call('HSET', KEYS[1], 'ingestOwner', ARGV[1], 'ingestUntil', ARGV[2])
return {'claimed', redis.call('HGET', KEYS[1], 'ingestSeq') or '0'}
`);

/** Moves ingest forward if the owner holds the lease. KEYS: thread. ARGV: owner, seq, until. */
export const ADVANCE_INGEST = redisScript(`
if redis.call('HGET', KEYS[1], 'ingestOwner') ~= ARGV[1] then return 0 end
local seq = tonumber(redis.call('HGET', KEYS[1], 'ingestSeq') or '0')
if tonumber(ARGV[2]) > seq then redis.call('HSET', KEYS[1], 'ingestSeq', ARGV[2]) end
redis.call('HSET', KEYS[1], 'ingestUntil', ARGV[3])
return 1
`);

/** Gives the lease up if the owner holds it. KEYS: thread. ARGV: owner. */
export const RELEASE_INGEST = redisScript(`
if redis.call('HGET', KEYS[1], 'ingestOwner') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'ingestOwner', 'ingestUntil')
end
return 0
`);
