import { GossipError } from '@gossip/core';
import type { DeadLetterReason, Envelope } from '@gossip/transport';
import type { Redis } from 'ioredis';
import type { Background } from './background.js';
import type { HeldEntry } from './held-entry.js';
import { RedisErrorCode } from './redis-error-code.js';
import { describeCause } from './redis-transport-error.js';
import type { ResolvedOptions } from './redis-transport-options.js';
import { entriesOf } from './replies.js';

/** @internal What retrying entries needs of its subscription. */
export interface RetryHost {
  readonly command: Redis;
  readonly options: ResolvedOptions;
  readonly group: string;
  readonly consumer: string;
  /** Keeps the delays and the redeliveries, stopped at close. */
  readonly background: Background;
  readonly deadLetter: (envelope: Envelope, reason: DeadLetterReason) => Promise<void>;
  /** True once the subscription closes: nothing is redelivered. */
  readonly closing: () => boolean;
  /** Acknowledges an entry and stops holding it. */
  readonly ack: (entry: HeldEntry) => void;
  /** Stops holding an entry that could not be settled, and reports why. */
  readonly release: (entry: HeldEntry, error: unknown) => void;
  /** Stops holding an entry, left pending for a consumer of the group to claim. */
  readonly unhold: (entry: HeldEntry) => void;
  /** Hands an entry (claimed again) to the subscription's lanes. */
  readonly enqueue: (entry: HeldEntry) => void;
}

/**
 * @internal What happens to an entry that was nacked or that no consumer settled: delivered
 * again to this consumer after the delay (XCLAIM raises its delivery count), or, past
 * `maxAttempts`, written to the dead-letter stream and acknowledged.
 *
 * @example
 * ```ts
 * const retries = new EntryRetries(host);
 * await retries.nack(entry, envelope, 1000, error);
 * ```
 */
export class EntryRetries {
  readonly #host: RetryHost;

  constructor(host: RetryHost) {
    this.#host = host;
  }

  /** Dead-letters an entry delivered maxAttempts times, then acknowledges it. */
  async giveUp(entry: HeldEntry, envelope: Envelope, failure: unknown): Promise<void> {
    const host = this.#host;
    const attempts = failure === undefined ? entry.attempt - 1 : entry.attempt;
    const last =
      failure === undefined
        ? 'its consumer never settled it (it died or hung)'
        : `the last attempt failed: ${describeCause(failure)}`;
    const code = failure instanceof GossipError ? failure.code : RedisErrorCode.MaxAttempts;
    await host
      .deadLetter(envelope, {
        code,
        message: `"${envelope.type}" ${envelope.id} was delivered ${attempts} times without an ack; ${last}.`,
        attempts,
      })
      .then(
        () => host.ack(entry),
        (error: unknown) => host.release(entry, error),
      );
  }

  /** Delivers a nacked entry again after `delayMs`, or gives it up on its last attempt. */
  async nack(
    entry: HeldEntry,
    envelope: Envelope,
    delayMs: number,
    failure: unknown,
  ): Promise<void> {
    const host = this.#host;
    const { maxAttempts } = host.options;
    if (maxAttempts !== undefined && entry.attempt >= maxAttempts) {
      await this.giveUp(entry, envelope, failure ?? new Error('nacked'));
      return;
    }
    if (host.closing()) {
      // Left pending: another consumer claims it after claimIdleMs.
      host.unhold(entry);
      return;
    }
    const redeliver = (): void => {
      const task = this.#redeliver(entry, delayMs).catch((error: unknown) =>
        host.release(entry, error),
      );
      host.background.track(task);
    };
    if (delayMs <= 0) redeliver();
    else host.background.after(delayMs, redeliver);
  }

  /**
   * Delivers a nacked entry again by claiming it for this consumer (XCLAIM raises its delivery
   * count). The minimum idle time is the delay, so an entry another consumer claimed meanwhile
   * (its idle time reset) is left to that consumer.
   */
  async #redeliver(entry: HeldEntry, delayMs: number): Promise<void> {
    const host = this.#host;
    if (host.closing()) {
      host.unhold(entry);
      return;
    }
    const reply = await host.command.callBuffer(
      'XCLAIM',
      entry.key,
      host.group,
      host.consumer,
      Math.max(0, delayMs - 10),
      entry.id,
    );
    const [claimed] = entriesOf(reply);
    host.unhold(entry);
    if (claimed?.fields === undefined || host.closing()) return;
    host.enqueue({ ...entry, fields: claimed.fields, attempt: entry.attempt + 1 });
  }
}
