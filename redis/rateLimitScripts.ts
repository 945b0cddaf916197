/**
 * The Lua scripts behind `sharedRateLimit`. Each runs atomically on the Redis server and reads the
 * time from the server's clock (`TIME`), so processes whose clocks disagree still share one window.
 * Keys (all of one limit, named after its key `k`):
 * - `k:requests` — sorted set, one member per admitted request, scored by its admission time (ms)
 * - `k:tokens` — sorted set, one member `<tokens>:<id>` per reported usage, scored by its time (ms)
 * - `k:blocked` — a string that exists while the provider said no requests remain; its TTL is the wait
 * Every write sets the key's TTL (the window, or the block), so nothing stays in Redis for good.
 */

/** The server's time in ms, as the scripts compute it. */
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Admits a request or says how long to wait.
 * KEYS: requests, tokens, blocked. ARGV: windowMs, requests per window (0: no limit), tokens per
 * window (0: no limit), the request's member id.
 * Returns 0 when admitted (the request is recorded), else the ms until it may be admitted (≥ 1).
 */
export const ACQUIRE_SCRIPT = `${NOW}
local window = tonumber(ARGV[1])
local maxRequests = tonumber(ARGV[2])
local maxTokens = tonumber(ARGV[3])
local wait = 0
local blocked = redis.call('PTTL', KEYS[3])
if blocked > 0 then wait = blocked end
if maxRequests > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[1])
  if count >= maxRequests then
    -- admitted once the oldest requests leave until fewer than the limit remain
    local leaving = redis.call('ZRANGE', KEYS[1], count - maxRequests, count - maxRequests, 'WITHSCORES')
    wait = math.max(wait, tonumber(leaving[2]) + window - now)
  end
end
if maxTokens > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  local used = 0
  for i = 1, #entries, 2 do
    used = used + (tonumber(string.match(entries[i], '^(%d+):')) or 0)
  end
  -- admitted once enough of the oldest usage leaves that less than the limit remains
  local i = 1
  while used >= maxTokens and i < #entries do
    used = used - (tonumber(string.match(entries[i], '^(%d+):')) or 0)
    if used < maxTokens then wait = math.max(wait, tonumber(entries[i + 1]) + window - now) end
    i = i + 2
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
if maxRequests > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
end
return 0`;

/**
 * Records the tokens an answer used.
 * KEYS: tokens. ARGV: windowMs, tokens (a whole number ≥ 1), a member id. Returns 1.
 */
export const USAGE_SCRIPT = `${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[2] .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1`;

/**
 * Blocks every acquire for a while, unless a longer block is in place already.
 * KEYS: blocked. ARGV: ms (a whole number ≥ 1). Returns the block's remaining ms.
 */
export const BLOCK_SCRIPT = `local ms = tonumber(ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left >= ms then return left end
redis.call('SET', KEYS[1], '1', 'PX', ms)
return ms`;
