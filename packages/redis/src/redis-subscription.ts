import { compilePattern, Fifo } from '@gossip/core';
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
import { envelopeOf } from './entry-envelope.js';
import { EntryRetries } from './entry-retries.js';
import type { HeldEntry } from './held-entry.js';
import { IdleClaims } from './idle-claims.js';
import { JoinedStreams } from './joined-streams.js';
import { PendingAcks } from './pending-acks.js';
import { quit } from './quit.js';
import { RedisErrorCode } from './redis-error-code.js';
import { describeCause, RedisTransportError } from './redis-transport-error.js';
import type { ResolvedOptions } from './redis-transport-options.js';
import { streamsOf } from './replies.js';
import type { StreamLayout } from './stream-layout.js';

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
  /** The streams read. */
  readonly #streams: JoinedStreams;
  /** Entries read and not yet settled: one at a time per stream, in stream order. */
  readonly #lanes: MessageLanes<HeldEntry>;
  readonly #settler: Settler<HeldEntry>;
  /** Entries this consumer holds: queued, being handled, or waiting for a nack's delay. */
  // The entries themselves, not "key id" strings, in a linked list (core's Fifo), not a Set: a
  // string per entry hashed at add and at delete, then a Set's hashing of each new entry, cost
  // more than the rest of the bookkeeping. The idle claims read their ids (#heldIds).
  readonly #held = new Fifo<HeldEntry>();
  readonly #acks: PendingAcks;
  readonly #background = new Background();
  readonly #claims: IdleClaims;
  readonly #retries: EntryRetries;
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
    this.#streams = new JoinedStreams(
      context.command,
      context.layout,
      request.group,
      context.layout.plan(request.patterns).discover,
      context.options.onError,
    );
    this.#lanes = new MessageLanes((entry) => this.#deliver(entry), {
      // Read the next batch once at most one is left, not after every entry: one XREADGROUP
      // (and one XACK) per entry would cost a round trip each, and waiting for the last entry
      // would leave the handlers idle during the read.
      onDone: () => {
        if (this.#lanes.size <= context.options.batchSize) this.#background.wakeAll();
      },
    });
    this.#retries = new EntryRetries({
      command: context.command,
      options: context.options,
      group: request.group,
      consumer: context.consumer,
      background: this.#background,
      deadLetter: context.deadLetter,
      closing: () => this.#closing,
      ack: (entry) => this.#ack(entry),
      release: (entry, error) => this.#release(entry, error),
      unhold: (entry) => this.#unhold(entry),
      enqueue: (entry) => this.#enqueue(entry),
    });
    const { redeliveryDelayMs } = context.options;
    this.#settler = {
      ack: (entry) => this.#ack(entry),
      nack: (entry, delayMs) =>
        this.#retries.nack(entry, entry.envelope as Envelope, delayMs, undefined),
      term: (entry) => this.#ack(entry),
      // Left unsettled by onMessage (it returned or threw): delivered again after a while.
      unsettled: (entry, failure) =>
        this.#retries.nack(entry, entry.envelope as Envelope, redeliveryDelayMs, failure),
    };
  }

  /** Creates the groups (at the end of streams that exist now) and starts reading and claiming. */
  async start(): Promise<void> {
    const { layout, options, reader } = this.#context;
    for (const name of layout.plan(this.#request.patterns).exact) {
      await this.#streams.join(name, '$');
    }
    if (this.#streams.discovers) {
      await this.#findStreams('$');
      this.#every(options.discoverIntervalMs, () => this.#findStreams('0'));
    }
    this.#readerId = Number(await reader.client('ID'));
    this.#readLoop = this.#read();
    this.#every(options.claimIntervalMs, () => this.#claims.claim(this.#streams.keys));
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

  /** Joins the streams the patterns match that were made since; the reader then reads them too. */
  async #findStreams(start: '$' | '0'): Promise<void> {
    const found = await this.#streams.find(start, () => this.#closing);
    if (found && this.#readerId !== undefined && start === '0') {
      // The blocked XREADGROUP names the old set of streams: end it so the next one names all.
      await this.#context.command.client('UNBLOCK', this.#readerId).catch(() => undefined);
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
      const keys = [...this.#streams.keys];
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
          for (const key of keys) await this.#streams.createGroup(key, '0').catch(() => undefined);
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

  #enqueue(entry: HeldEntry): void {
    if (this.#closing || !this.#streams.keys.has(entry.key)) return;
    entry.link = this.#held.push(entry);
    this.#lanes.push(entry.key, entry);
  }

  /** Hands one entry to onMessage (see deliverMessage), after the checks only Redis needs. */
  #deliver(entry: HeldEntry): Promise<void> {
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
      return this.#retries.giveUp(entry, envelope, undefined);
    }
    entry.envelope = envelope;
    return deliverMessage(this.#request.onMessage, this.#settler, entry, envelope, entry.attempt);
  }

  #unhold(entry: HeldEntry): void {
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
  #release(entry: HeldEntry, error: unknown): void {
    this.#unhold(entry);
    this.#report('settling', error);
  }

  /** Acknowledges an entry: it is no longer held, and its XACK goes out with the turn's. */
  #ack(entry: HeldEntry): void {
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
