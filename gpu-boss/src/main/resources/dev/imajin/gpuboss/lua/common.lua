-- Shared by every lease script; each script's text is this file followed by its own.
-- KEYS[1] state hash (cap, reserve, used, token), KEYS[2] leases hash (id -> JSON),
-- KEYS[3] expiry sorted set (id scored by expiry, ms), KEYS[4] idempotency hash (key -> id).
-- Every key of a device shares one hash tag, so a script touches one slot.
-- Scripts check everything they can before their first write: a script that errors after
-- writing is not rolled back.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Deletes the leases whose expiry is at or before now and gives their bytes back.
local function reclaim(now)
  local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
  local freed = 0
  for _, id in ipairs(ids) do
    local raw = redis.call('HGET', KEYS[2], id)
    if raw then
      local lease = cjson.decode(raw)
      freed = freed + lease.bytes
      redis.call('HDEL', KEYS[2], id)
      if lease.idem then
        redis.call('HDEL', KEYS[4], lease.idem)
      end
    end
    redis.call('ZREM', KEYS[3], id)
  end
  if freed > 0 then
    redis.call('HINCRBY', KEYS[1], 'used', string.format('%d', -freed))
  end
  return ids
end

local function used()
  return tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
end
