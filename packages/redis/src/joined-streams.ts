import type { Redis } from 'ioredis';
import { createGroup } from './consumer-group.js';
import type { RedisTransportError } from './redis-transport-error.js';
import type { StreamLayout } from './stream-layout.js';

/**
 * @internal The streams one consumer group reads: joined by name (the group created on the
 * stream, the name added to the set of streams), and found by reading that set when the group's
 * patterns hold a wildcard.
 *
 * @example
 * ```ts
 * const streams = new JoinedStreams(command, layout, 'billing', plan.discover, onError);
 * await streams.join('order.placed', '$');
 * if (await streams.find('0', () => closing)) unblockTheReader();
 * ```
 */
export class JoinedStreams {
  /** The keys of the streams joined. */
  readonly keys = new Set<string>();
  readonly #command: Redis;
  readonly #layout: StreamLayout;
  readonly #group: string;
  readonly #discover: ((name: string) => boolean) | undefined;
  readonly #onError: (error: RedisTransportError) => void;

  constructor(
    command: Redis,
    layout: StreamLayout,
    group: string,
    discover: ((name: string) => boolean) | undefined,
    onError: (error: RedisTransportError) => void,
  ) {
    this.#command = command;
    this.#layout = layout;
    this.#group = group;
    this.#discover = discover;
    this.#onError = onError;
  }

  /** True when the group's patterns hold a wildcard: its streams are found, not only named. */
  get discovers(): boolean {
    return this.#discover !== undefined;
  }

  /** Creates the group on a stream (MKSTREAM) unless it exists, and joins it. */
  async join(name: string, start: '$' | '0'): Promise<void> {
    const key = this.#layout.keyOf(name);
    await this.createGroup(key, start);
    await this.#command.sadd(this.#layout.streamsKey, name);
    this.keys.add(key);
  }

  /** Creates the group on a stream unless it exists (again, after a server lost its data). */
  createGroup(key: string, start: '$' | '0'): Promise<void> {
    return createGroup(this.#command, key, this.#group, start, this.#onError);
  }

  /**
   * Reads the set of stream names and joins those the patterns match. Streams known when the
   * subscription starts are read from their end; streams found later from their start, since
   * they were made after the subscription and all their entries are new to it.
   *
   * @returns whether a stream was joined
   */
  async find(start: '$' | '0', closing: () => boolean): Promise<boolean> {
    const names = await this.#command.smembers(this.#layout.streamsKey);
    let found = false;
    for (const name of names) {
      if (closing()) return found;
      if (this.keys.has(this.#layout.keyOf(name)) || !this.#discover?.(name)) continue;
      await this.join(name, start);
      found = true;
    }
    return found;
  }
}
