-- renew(lease_id, fencing_token, ttl_ms or '', busy '1'|'0'|'')
-- -> {'OK', lease JSON, now} | {'GONE', now} | {'STALE', now}
local now = now_ms()
reclaim(now)
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then
  return {'GONE', now}
end
local lease = cjson.decode(raw)
if lease.token ~= ARGV[2] then
  return {'STALE', now}
end
if ARGV[3] ~= '' then
  lease.ttl = tonumber(ARGV[3])
end
lease.expires = now + lease.ttl
if ARGV[4] == '1' then
  lease.busy = true
  lease.used_at = now
elseif ARGV[4] == '0' then
  if lease.busy then
    lease.used_at = now
  end
  lease.busy = false
end
raw = cjson.encode(lease)
redis.call('HSET', KEYS[2], ARGV[1], raw)
redis.call('ZADD', KEYS[3], lease.expires, ARGV[1])
return {'OK', raw, now}
