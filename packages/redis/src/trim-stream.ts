import type { Redis } from 'ioredis';

/**
 * The trim, as one script: Redis runs it atomically, so no consumer group can be created (at
 * `0`, by a subscription that just found the stream) between reading the groups and trimming,
 * which would remove entries the new group has not read. It reads the groups, takes the oldest
 * entry any of them still owes (its oldest pending entry, or else its last delivered one, kept
 * too), and removes at most `length - maxLen` of the entries older than that: it reads those
 * entries only, never the `maxLen` it keeps.
 */
const TRIM = `
local key = KEYS[1]
local maxLen = tonumber(ARGV[1])
local length = redis.call('XLEN', key)
if length <= maxLen then return 0 end
local function parts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function older(a, b)
  local am, as = parts(a)
  local bm, bs = parts(b)
  if am ~= bm then return am < bm end
  return as < bs
end
local owed = nil
for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
  local fields = {}
  for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
  local bound = fields['last-delivered-id']
  if tonumber(fields['pending']) > 0 then
    local summary = redis.call('XPENDING', key, fields['name'])
    if summary[2] then bound = summary[2] end
  end
  if owed == nil or older(bound, owed) then owed = bound end
end
if owed == '0-0' then return 0 end
local excess = length - maxLen
local below
if owed == nil then
  below = redis.call('XRANGE', key, '-', '+', 'COUNT', excess + 1)
else
  below = redis.call('XRANGE', key, '-', '(' .. owed, 'COUNT', excess + 1)
end
if #below == 0 then return 0 end
if #below <= excess then return redis.call('XTRIM', key, 'MINID', owed) end
return redis.call('XTRIM', key, 'MINID', below[excess + 1][1])
`;

/**
 * @internal Trims a stream to about `maxLen` entries without removing any entry a consumer
 * group still owes: none at or after the oldest pending entry of a group, or after the last
 * entry it read. So a stream holds more than `maxLen` while a group lags (or while a group
 * nobody reads any more exists), and a group created at `0` before the trim keeps every entry.
 *
 * @returns how many entries were removed
 */
export async function trimStream(command: Redis, key: string, maxLen: number): Promise<number> {
  return Number(await command.eval(TRIM, 1, key, maxLen));
}
