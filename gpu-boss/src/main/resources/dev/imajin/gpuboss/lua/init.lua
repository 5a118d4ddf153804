-- init(capacity, reserve): declares a device, keeping its leases, usage and fencing counter.
redis.call('HSET', KEYS[1], 'cap', ARGV[1], 'reserve', ARGV[2])
redis.call('HSETNX', KEYS[1], 'used', '0')
redis.call('HSETNX', KEYS[1], 'token', '0')
return 'OK'
