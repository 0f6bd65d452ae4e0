import type { Redis } from 'ioredis';
import { groupsOf, itemsOf, text } from './replies.js';
import { compareIds, nextId } from './stream-layout.js';

/**
 * @internal Trims a stream to about `maxLen` entries without removing any entry a consumer
 * group still owes: the bound is the oldest pending entry of each group, or the first entry
 * after its last delivered one. XTRIM MINID removes only entries below that bound, so a stream
 * holds more than `maxLen` while a group lags (or while a group nobody reads any more exists).
 */
export async function trimStream(command: Redis, key: string, maxLen: number): Promise<void> {
  const newest = itemsOf(await command.call('XREVRANGE', key, '+', '-', 'COUNT', maxLen));
  if (newest.length < maxLen) return;
  const oldestKept = itemsOf(newest[newest.length - 1])[0];
  if (oldestKept === undefined) return;
  let bound = text(oldestKept);
  for (const group of groupsOf(await command.call('XINFO', 'GROUPS', key))) {
    const name = text(group.get('name'));
    const pending = Number(text(group.get('pending') ?? 0));
    let owed = nextId(text(group.get('last-delivered-id') ?? '0-0'));
    if (pending > 0) {
      const [, oldestPending] = itemsOf(await command.call('XPENDING', key, name));
      if (oldestPending !== undefined && oldestPending !== null) owed = text(oldestPending);
    }
    if (compareIds(owed, bound) < 0) bound = owed;
  }
  await command.call('XTRIM', key, 'MINID', bound);
}
