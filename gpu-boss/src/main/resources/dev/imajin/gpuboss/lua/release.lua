-- release(lease_id, fencing_token) -> {'OK', lease JSON, now, used} | {'GONE', now} | {'STALE', now}
-- With fencing_token '' the lease is removed whatever its token: only the broker does that, for a
-- lease it created but never handed out (the reply to its acquire was lost).
local now = now_ms()
reclaim(now)
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then
  return {'GONE', now}
end
local lease = cjson.decode(raw)
if ARGV[2] ~= '' and lease.token ~= ARGV[2] then
  return {'STALE', now}
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if lease.idem then
  redis.call('HDEL', KEYS[4], lease.idem)
end
redis.call('HINCRBY', KEYS[1], 'used', string.format('%d', -lease.bytes))
return {'OK', raw, now, used()}
