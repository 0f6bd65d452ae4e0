import type { Redis } from 'ioredis';
import type { ResolvedOptions } from './redis-transport-options.js';
import { entriesOf, pendingOf } from './replies.js';

/** @internal What claiming idle entries needs of its subscription. */
export interface ClaimTarget {
  /** True once the subscription closes: claiming stops. */
  readonly closing: () => boolean;
  /** The ids of the entries of a stream the subscription holds: never claimed from it. */
  readonly heldIds: (key: string) => Set<string>;
  /** Hands a claimed entry to the subscription, with its attempt number. */
  readonly take: (key: string, id: string, fields: Buffer[], attempt: number) => void;
}

/**
 * @internal Claims, for one consumer of a group, entries left idle for claimIdleMs by another
 * consumer (one that died or hangs). XPENDING IDLE lists them with their delivery counts, a
 * page of batchSize at a time per stream, and XCLAIM takes those the consumer does not hold.
 * (XAUTOCLAIM would take the consumer's own held entries too, which resets their idle time, so
 * a hung consumer would keep its messages from the others for ever.)
 */
export class IdleClaims {
  readonly #command: Redis;
  readonly #options: ResolvedOptions;
  readonly #group: string;
  readonly #consumer: string;
  readonly #target: ClaimTarget;
  /** Where each stream's next page of pending entries starts. */
  readonly #cursors = new Map<string, string>();

  constructor(
    command: Redis,
    options: ResolvedOptions,
    group: string,
    consumer: string,
    target: ClaimTarget,
  ) {
    this.#command = command;
    this.#options = options;
    this.#group = group;
    this.#consumer = consumer;
    this.#target = target;
  }

  /** Claims the idle entries of one page of each stream. */
  async claim(streams: Iterable<string>): Promise<void> {
    const { claimIdleMs, batchSize } = this.#options;
    for (const key of streams) {
      if (this.#target.closing()) return;
      const start = this.#cursors.get(key) ?? '-';
      const pending = pendingOf(
        await this.#command.call(
          'XPENDING',
          key,
          this.#group,
          'IDLE',
          claimIdleMs,
          start,
          '+',
          batchSize,
        ),
      );
      const last = pending.at(-1);
      // Go on after the last one next time when the page was full, else from the start.
      this.#cursors.set(
        key,
        pending.length < batchSize || last === undefined ? '-' : `(${last.id}`,
      );
      const held = this.#target.heldIds(key);
      const free = pending.filter((item) => !held.has(item.id));
      if (free.length === 0) continue;
      const reply = await this.#command.callBuffer(
        'XCLAIM',
        key,
        this.#group,
        this.#consumer,
        claimIdleMs,
        ...free.map((item) => item.id),
      );
      const deliveries = new Map(free.map((item) => [item.id, item.deliveries]));
      for (const entry of entriesOf(reply)) {
        if (entry.fields === undefined || this.#target.closing()) continue;
        // The attempt is the delivery count of the pending entries list, which XCLAIM raised.
        this.#target.take(key, entry.id, entry.fields, (deliveries.get(entry.id) ?? 1) + 1);
      }
    }
  }
}
