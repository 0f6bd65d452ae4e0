import { compilePattern, Fifo, type FifoEntry, GossipError } from '@gossip/core';
import {
  type DeadLetterReason,
  deliverMessage,
  type Envelope,
  MessageLanes,
  type Settler,
  type TransportSubscribeRequest,
  type TransportSubscription,
} from '@gossip/transport';
import type { Redis } from 'ioredis';
import { Background } from './background.js';
import { createGroup } from './consumer-group.js';
import { envelopeOf } from './entry-envelope.js';
import { IdleClaims } from './idle-claims.js';
import { PendingAcks } from './pending-acks.js';
import { quit } from './quit.js';
import { RedisErrorCode } from './redis-error-code.js';
import { describeCause, RedisTransportError } from './redis-transport-error.js';
import type { ResolvedOptions } from './redis-transport-options.js';
import { entriesOf, streamsOf } from './replies.js';
import type { StreamLayout } from './stream-layout.js';

/** A delivery of one entry to this consumer. */
interface Entry {
  readonly key: string;
  readonly id: string;
  readonly fields: Buffer[];
  readonly attempt: number;
  /** Read from the fields when the entry's turn comes. */
  envelope?: Envelope;
  /** Its place among the entries this consumer holds. */
  link?: FifoEntry<Entry>;
}

/** @internal What a subscription needs from its transport. */
export interface SubscriptionContext {
  readonly command: Redis;
  readonly reader: Redis;
  readonly layout: StreamLayout;
  readonly options: ResolvedOptions;
  readonly consumer: string;
  readonly deadLetter: (envelope: Envelope, reason: DeadLetterReason) => Promise<void>;
  readonly deadLetterFields: (fields: Buffer[], reason: DeadLetterReason) => Promise<void>;
  readonly onClosed: (subscription: RedisSubscription) => void;
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * @internal One consumer in one group over a set of streams. The blocking connection reads new
 * entries (XREADGROUP `>`); the command connection claims idle ones (IdleClaims), redelivers
 * nacked ones (XCLAIM after the delay) and acknowledges in batches (PendingAcks, XACK per
 * tick). Timers, waits and background tasks are kept by a Background, stopped at close.
 */
export class RedisSubscription implements TransportSubscription {
  readonly #context: SubscriptionContext;
  readonly #request: TransportSubscribeRequest;
  /** The keys of the streams read. */
  readonly #streams = new Set<string>();
  /** Entries read and not yet settled: one at a time per stream, in stream order. */
  readonly #lanes: MessageLanes<Entry>;
  readonly #settler: Settler<Entry>;
  /** Entries this consumer holds: queued, being handled, or waiting for a nack's delay. */
  // The entries themselves, not "key id" strings, in a linked list (core's Fifo), not a Set: a
  // string per entry hashed at add and at delete, then a Set's hashing of each new entry, cost
  // more than the rest of the bookkeeping. The idle claims read their ids (#heldIds).
  readonly #held = new Fifo<Entry>();
  readonly #acks: PendingAcks;
  readonly #background = new Background();
  readonly #claims: IdleClaims;
  readonly #discover: ((name: string) => boolean) | undefined;
  readonly #accepts: (type: string) => boolean;
  #readerId: number | undefined;
  #readLoop: Promise<void> = Promise.resolve();
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(context: SubscriptionContext, request: TransportSubscribeRequest) {
    this.#context = context;
    this.#request = request;
    this.#acks = new PendingAcks(request.group, context.command, (error) =>
      this.#report('acknowledging', error),
    );
    this.#claims = new IdleClaims(
      context.command,
      context.options,
      request.group,
      context.consumer,
      {
        closing: () => this.#closing,
        heldIds: (key) => this.#heldIds(key),
        take: (key, id, fields, attempt) => this.#enqueue({ key, id, fields, attempt }),
      },
    );
    const tests = request.patterns.map(compilePattern);
    this.#accepts = (type) => tests.some((test) => test(type));
    this.#discover = context.layout.plan(request.patterns).discover;
    this.#lanes = new MessageLanes((entry) => this.#deliver(entry), {
      // Read the next batch once at most one is left, not after every entry: one XREADGROUP
      // (and one XACK) per entry would cost a round trip each, and waiting for the last entry
      // would leave the handlers idle during the read.
      onDone: () => {
        if (this.#lanes.size <= context.options.batchSize) this.#background.wakeAll();
      },
    });
    const { redeliveryDelayMs } = context.options;
    this.#settler = {
      ack: (entry) => this.#ack(entry),
      nack: (entry, delayMs) => this.#nack(entry, entry.envelope as Envelope, delayMs, undefined),
      term: (entry) => this.#ack(entry),
      // Left unsettled by onMessage (it returned or threw): delivered again after a while.
      unsettled: (entry, failure) =>
        this.#nack(entry, entry.envelope as Envelope, redeliveryDelayMs, failure),
    };
  }

  /** Creates the groups (at the end of streams that exist now) and starts reading and claiming. */
  async start(): Promise<void> {
    const { layout, options, reader } = this.#context;
    for (const name of layout.plan(this.#request.patterns).exact) await this.#join(name, '$');
    if (this.#discover !== undefined) {
      await this.#findStreams('$');
      this.#every(options.discoverIntervalMs, () => this.#findStreams('0'));
    }
    this.#readerId = Number(await reader.client('ID'));
    this.#readLoop = this.#read();
    this.#every(options.claimIntervalMs, () => this.#claims.claim(this.#streams));
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    // Entries read but not started stay pending under this consumer: another consumer of the
    // group claims them once they have been idle for claimIdleMs.
    this.#lanes.clear();
    this.#background.stop();
    const { command, reader } = this.#context;
    if (this.#readerId !== undefined) {
      await command.client('UNBLOCK', this.#readerId).catch(() => undefined);
    }
    await this.#readLoop;
    await this.#lanes.drain();
    await this.#background.settled();
    await this.#acks.flush();
    await quit(reader);
    this.#context.onClosed(this);
  }

  /** Creates the group on a stream (MKSTREAM) unless it exists, and starts reading it. */
  async #join(name: string, start: '$' | '0'): Promise<void> {
    const { command, layout } = this.#context;
    const key = layout.keyOf(name);
    await this.#createGroup(key, start);
    await command.sadd(layout.streamsKey, name);
    this.#streams.add(key);
  }

  #createGroup(key: string, start: '$' | '0'): Promise<void> {
    const { command, options } = this.#context;
    return createGroup(command, key, this.#request.group, start, options.onError);
  }

  /**
   * Reads the set of stream names and joins those the patterns match. Streams known when the
   * subscription starts are read from their end; streams found later from their start, since
   * they were made after the subscription and all their entries are new to it.
   */
  async #findStreams(start: '$' | '0'): Promise<void> {
    const { command, layout } = this.#context;
    const names = await command.smembers(layout.streamsKey);
    let found = false;
    for (const name of names) {
      if (this.#closing) return;
      if (this.#streams.has(layout.keyOf(name)) || !this.#discover?.(name)) continue;
      await this.#join(name, start);
      found = true;
    }
    if (found && this.#readerId !== undefined && start === '0') {
      // The blocked XREADGROUP names the old set of streams: end it so the next one names all.
      await command.client('UNBLOCK', this.#readerId).catch(() => undefined);
    }
  }

  async #read(): Promise<void> {
    const { reader, options, consumer } = this.#context;
    let failures = 0;
    while (!this.#closing) {
      if (this.#lanes.size > options.batchSize) {
        await this.#background.wait(options.blockMs);
        continue;
      }
      const keys = [...this.#streams];
      if (keys.length === 0) {
        await this.#background.wait(options.blockMs);
        continue;
      }
      let reply: unknown;
      // The acks queued so far go first on the reading connection, whose replies come before
      // the read blocks. Plain commands, not a pipeline: in an ioredis pipeline the read's large
      // reply costs more per entry than the socket write the pipeline would save (bench/).
      this.#acks.sendOn(reader);
      try {
        reply = await reader.callBuffer(
          'XREADGROUP',
          'GROUP',
          this.#request.group,
          consumer,
          'COUNT',
          options.batchSize,
          'BLOCK',
          options.blockMs,
          'STREAMS',
          ...keys,
          ...keys.map(() => '>'),
        );
        failures = 0;
      } catch (error) {
        if (this.#closing) break;
        failures++;
        this.#report('reading', error);
        // A server that restarted without its data has lost the groups: make them again.
        if (describeCause(error).includes('NOGROUP')) {
          for (const key of keys) await this.#createGroup(key, '0').catch(() => undefined);
        }
        await this.#background.wait(Math.min(50 * 2 ** failures, 2000));
        this.#readerId = await reader.client('ID').then(Number, () => this.#readerId);
        continue;
      }
      for (const [key, entries] of streamsOf(reply)) {
        for (const entry of entries) {
          if (entry.fields !== undefined) {
            this.#enqueue({ key, id: entry.id, fields: entry.fields, attempt: 1 });
          }
        }
      }
    }
  }

  #enqueue(entry: Entry): void {
    if (this.#closing || !this.#streams.has(entry.key)) return;
    entry.link = this.#held.push(entry);
    this.#lanes.push(entry.key, entry);
  }

  /** Hands one entry to onMessage (see deliverMessage), after the checks only Redis needs. */
  #deliver(entry: Entry): Promise<void> {
    const { options, deadLetterFields } = this.#context;
    let envelope: Envelope | undefined;
    try {
      envelope = envelopeOf(entry.fields);
    } catch {
      envelope = undefined;
    }
    if (envelope === undefined) {
      return deadLetterFields(entry.fields, {
        code: RedisErrorCode.Malformed,
        message: `Entry ${entry.id} of ${entry.key} is not a gossip envelope (no id, type, ts or p field).`,
        attempts: entry.attempt,
      }).then(
        () => this.#ack(entry),
        (error: unknown) => this.#release(entry, error),
      );
    }
    if (!this.#accepts(envelope.type)) {
      // One stream per prefix: a type of the prefix the group did not ask for.
      this.#ack(entry);
      return RESOLVED;
    }
    if (options.maxAttempts !== undefined && entry.attempt > options.maxAttempts) {
      return this.#giveUp(entry, envelope, undefined);
    }
    entry.envelope = envelope;
    return deliverMessage(this.#request.onMessage, this.#settler, entry, envelope, entry.attempt);
  }

  /** Dead-letters an entry delivered maxAttempts times, then acknowledges it. */
  async #giveUp(entry: Entry, envelope: Envelope, failure: unknown): Promise<void> {
    const attempts = failure === undefined ? entry.attempt - 1 : entry.attempt;
    const last =
      failure === undefined
        ? 'its consumer never settled it (it died or hung)'
        : `the last attempt failed: ${describeCause(failure)}`;
    const code = failure instanceof GossipError ? failure.code : RedisErrorCode.MaxAttempts;
    await this.#context
      .deadLetter(envelope, {
        code,
        message: `"${envelope.type}" ${envelope.id} was delivered ${attempts} times without an ack; ${last}.`,
        attempts,
      })
      .then(
        () => this.#ack(entry),
        (error: unknown) => this.#release(entry, error),
      );
  }

  async #nack(entry: Entry, envelope: Envelope, delayMs: number, failure: unknown): Promise<void> {
    const { options } = this.#context;
    if (options.maxAttempts !== undefined && entry.attempt >= options.maxAttempts) {
      await this.#giveUp(entry, envelope, failure ?? new Error('nacked'));
      return;
    }
    if (this.#closing) {
      // Left pending: another consumer claims it after claimIdleMs.
      this.#unhold(entry);
      return;
    }
    const redeliver = (): void => {
      const task = this.#redeliver(entry, delayMs).catch((error: unknown) =>
        this.#release(entry, error),
      );
      this.#background.track(task);
    };
    if (delayMs <= 0) redeliver();
    else this.#background.after(delayMs, redeliver);
  }

  /**
   * Delivers a nacked entry again by claiming it for this consumer (XCLAIM raises its delivery
   * count). The minimum idle time is the delay, so an entry another consumer claimed meanwhile
   * (its idle time reset) is left to that consumer.
   */
  async #redeliver(entry: Entry, delayMs: number): Promise<void> {
    if (this.#closing) {
      this.#unhold(entry);
      return;
    }
    const { command, consumer } = this.#context;
    const reply = await command.callBuffer(
      'XCLAIM',
      entry.key,
      this.#request.group,
      consumer,
      Math.max(0, delayMs - 10),
      entry.id,
    );
    const [claimed] = entriesOf(reply);
    this.#unhold(entry);
    if (claimed?.fields === undefined || this.#closing) return;
    this.#enqueue({ ...entry, fields: claimed.fields, attempt: entry.attempt + 1 });
  }

  #unhold(entry: Entry): void {
    if (entry.link !== undefined) this.#held.delete(entry.link);
  }

  /**
   * The ids of the entries of one stream this consumer holds. Read every claimIntervalMs: the
   * list has no iteration, so it is drained and filled again in the same order, each entry
   * given its new place.
   */
  #heldIds(key: string): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.#held.drain()) {
      if (entry.key === key) ids.add(entry.id);
      entry.link = this.#held.push(entry);
    }
    return ids;
  }

  /** Drops an entry from the held set after a failure; it stays pending, claimed later. */
  #release(entry: Entry, error: unknown): void {
    this.#unhold(entry);
    this.#report('settling', error);
  }

  /** Acknowledges an entry: it is no longer held, and its XACK goes out with the turn's. */
  #ack(entry: Entry): void {
    this.#unhold(entry);
    this.#acks.add(entry.key, entry.id);
  }

  /** Runs a task every `ms`, one run at a time, until close. */
  #every(ms: number, task: () => Promise<void>): void {
    this.#background.every(ms, task, (error) => this.#report('claiming', error));
  }

  #report(what: string, error: unknown): void {
    if (this.#closing && what === 'reading') return;
    this.#context.options.onError(
      new RedisTransportError(
        RedisErrorCode.Background,
        `Redis transport, group "${this.#request.group}", failed ${what}: ${describeCause(error)}. It retries.`,
        { cause: error },
      ),
    );
  }
}
