-- snapshot() -> {'OK', now, cap, reserve, used, last token, {lease JSON...}, {reclaimed id...}}
-- Reclaims expired leases first, so it is also the sweep.
local now = now_ms()
local cap = redis.call('HGET', KEYS[1], 'cap')
if not cap then
  return {'NODEVICE', now}
end
local reclaimed = reclaim(now)
local state = redis.call('HMGET', KEYS[1], 'reserve', 'used', 'token')
return {'OK', now, tonumber(cap), tonumber(state[1] or '0'), tonumber(state[2] or '0'),
  state[3] or '0', redis.call('HVALS', KEYS[2]), reclaimed}
