/**
 * Compare-and-set of one entity's blob plus the idempotency records of the events folded into it, atomically.
 * KEYS[1] = state blob, KEYS[2..] = idempotency records (same hash tag as KEYS[1]).
 * ARGV[1] = expected version header ('' when the blob was absent), ARGV[2] = new blob (header + engine state),
 * ARGV[3] = blob TTL ms, ARGV[4] = idempotency TTL ms.
 * Returns 1 = written, -1 = version conflict (re-read and retry), -2 = an event was applied meanwhile (re-read).
 */
export const CAS_APPLY_LUA = `
local cur = redis.call('GET', KEYS[1])
local ver = ''
if cur then ver = string.sub(cur, 1, 4) end
if ver ~= ARGV[1] then return -1 end
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return -2 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], '1', 'PX', ARGV[4], 'NX')
end
return 1
`;
