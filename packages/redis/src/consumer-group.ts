import type { Redis } from 'ioredis';
import { RedisErrorCode } from './redis-error-code.js';
import { describeCause, RedisTransportError } from './redis-transport-error.js';
import { pairsOf, text } from './replies.js';

/**
 * How many entries of a stream were removed (trimmed or deleted) so far, from XINFO STREAM:
 * `entries-added - length` (Redis 7; 0 on 6.2, which does not count them).
 */
function removedBefore(info: unknown): number {
  const fields = pairsOf(info);
  const added = Number(text(fields.get('entries-added') ?? Number.NaN));
  const length = Number(text(fields.get('length') ?? Number.NaN));
  return Number.isFinite(added) && Number.isFinite(length) ? Math.max(0, added - length) : 0;
}

/**
 * @internal Creates a consumer group on a stream (MKSTREAM) unless it exists. A group created
 * at `0` is to read the whole stream; if entries were removed before it existed (trimmed while
 * no group owed them, or deleted), it will never see them, and that goes to `onError` rather
 * than being left silent.
 */
export async function createGroup(
  command: Redis,
  key: string,
  group: string,
  start: '$' | '0',
  onError: (error: RedisTransportError) => void,
): Promise<void> {
  try {
    await command.xgroup('CREATE', key, group, start, 'MKSTREAM');
  } catch (error) {
    if (!describeCause(error).includes('BUSYGROUP')) throw error;
    return;
  }
  if (start !== '0') return;
  const missed = removedBefore(await command.call('XINFO', 'STREAM', key));
  if (missed > 0) {
    onError(
      new RedisTransportError(
        RedisErrorCode.EntriesMissed,
        `Group "${group}" joined ${key} from its start, but ${missed} of its entries were removed before (trimmed while no group owed them, or deleted): the group never gets them. Subscribe before publishing, or keep maxLen above what a new stream receives within discoverIntervalMs; see the README's "Trimming".`,
      ),
    );
  }
}
