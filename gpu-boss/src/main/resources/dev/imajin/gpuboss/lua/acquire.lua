-- acquire(lease_id, bytes, holder, ttl_ms, resident 0|1, model or '', priority, idempotency key or '')
-- -> {'OK', lease JSON, now, existing 0|1, used}
--  | {'FULL', now, used, usable, earliest expiry or -1}
--  | {'NODEVICE', now}
local now = now_ms()
local cap = redis.call('HGET', KEYS[1], 'cap')
if not cap then
  return {'NODEVICE', now}
end
reclaim(now)
-- The same lease id again (a retry after a lost reply) or the same idempotency key: that lease.
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if not existing and ARGV[8] ~= '' then
  local id = redis.call('HGET', KEYS[4], ARGV[8])
  if id then
    existing = redis.call('HGET', KEYS[2], id)
  end
end
if existing then
  return {'OK', existing, now, 1, used()}
end
local bytes = tonumber(ARGV[2])
local usable = tonumber(cap) - tonumber(redis.call('HGET', KEYS[1], 'reserve') or '0')
local in_use = used()
if in_use + bytes > usable then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {'FULL', now, in_use, usable, tonumber(first[2] or '-1')}
end
local ttl = tonumber(ARGV[4])
local lease = {
  id = ARGV[1], bytes = bytes, holder = ARGV[3], token = '', granted = now,
  expires = now + ttl, ttl = ttl, resident = ARGV[5] == '1', priority = tonumber(ARGV[7]),
  busy = false, used_at = now
}
if ARGV[6] ~= '' then lease.model = ARGV[6] end
if ARGV[8] ~= '' then lease.idem = ARGV[8] end
lease.token = string.format('%d', redis.call('HINCRBY', KEYS[1], 'token', 1))
redis.call('HINCRBY', KEYS[1], 'used', ARGV[2])
local raw = cjson.encode(lease)
redis.call('HSET', KEYS[2], ARGV[1], raw)
redis.call('ZADD', KEYS[3], lease.expires, ARGV[1])
if lease.idem then
  redis.call('HSET', KEYS[4], lease.idem, ARGV[1])
end
return {'OK', raw, now, 0, in_use + bytes}
