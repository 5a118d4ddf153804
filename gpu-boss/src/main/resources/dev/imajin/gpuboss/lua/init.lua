-- init(capacity, reserve): declares a device, keeping its leases, usage and fencing counter.
-- A device's first fencing token is the server clock in microseconds, so tokens keep increasing
-- even when Redis loses its data (a restart without persistence) and the counter starts again.
-- Tokens are kept as decimal strings: they have more digits than cjson writes exactly.
redis.call('HSET', KEYS[1], 'cap', ARGV[1], 'reserve', ARGV[2])
redis.call('HSETNX', KEYS[1], 'used', '0')
redis.call('HSETNX', KEYS[1], 'token', string.format('%d', now_ms() * 1000))
return 'OK'
