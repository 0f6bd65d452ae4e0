import type { Envelope, PublishFailure } from '@gossip/transport';
import type { Redis } from 'ioredis';
import { RedisErrorCode } from './redis-error-code.js';
import { describeCause, RedisTransportError } from './redis-transport-error.js';
import { envelopeFields, type StreamLayout } from './stream-layout.js';

// SET NX on the event id with a TTL, and the XADD only if the SET took: one script, so a
// publish retried after a lost reply cannot add the entry twice within the window.
const DEDUPE_XADD = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
end
return false`;

/** The most publishes sent in one pipeline. */
const MAX_PIPELINE = 1000;

/** A `publish` waiting for the end of the turn. */
interface PendingPublish {
  readonly envelope: Envelope;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What the publisher needs of the transport's options. */
export interface PublisherOptions {
  readonly dedupeWindowMs: number | undefined;
  readonly publishTimeoutMs: number;
}

/**
 * @internal The Redis transport's publishing: XADDs in pipelines (or the de-duplicating script
 * with `dedupeWindowMs`), each with the SADD that names its streams, bounded by
 * `publishTimeoutMs`. `publish` gathers the calls of one turn of the event loop into a
 * pipeline; `publishBatch` sends a batch at once. Streams written to are added to `written`,
 * which trimming reads.
 */
export class StreamPublisher {
  readonly #command: Redis;
  readonly #layout: StreamLayout;
  readonly #options: PublisherOptions;
  readonly #written: Set<string>;
  #queue: PendingPublish[] = [];
  /** Pipelines sent and not yet answered. */
  readonly #sending = new Set<Promise<unknown>>();

  constructor(
    command: Redis,
    layout: StreamLayout,
    options: PublisherOptions,
    written: Set<string>,
  ) {
    this.#command = command;
    this.#layout = layout;
    this.#options = options;
    this.#written = written;
  }

  publish(envelope: Envelope): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ envelope, resolve, reject });
      // The publishes of one turn of the event loop go to Redis in one pipeline, written once
      // at its end: flushed at the next microtask instead, a caller publishing events one by
      // one as they come would send a pipeline (and a socket write) per event. A burst larger
      // than MAX_PIPELINE goes in pipelines of that size, so no reply waits for a huge one.
      if (this.#queue.length === 1) setImmediate(this.#flushQueue);
      else if (this.#queue.length === MAX_PIPELINE) this.#flushQueue();
    });
  }

  /** Sends a batch now, in pipelines of at most MAX_PIPELINE; never rejects. */
  publishBatch(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]> {
    if (envelopes.length <= MAX_PIPELINE) return this.#send(envelopes);
    const parts: Array<Promise<readonly PublishFailure[]>> = [];
    for (let first = 0; first < envelopes.length; first += MAX_PIPELINE) {
      const offset = first;
      parts.push(
        this.#send(envelopes.slice(first, first + MAX_PIPELINE)).then((failures) =>
          failures.map(({ index, error }) => ({ index: index + offset, error })),
        ),
      );
    }
    return Promise.all(parts).then((failures) => failures.flat());
  }

  /** Sends what `publish` queued, and resolves once every pipeline sent has its reply. */
  async flush(): Promise<void> {
    this.#flushQueue();
    await Promise.all(this.#sending);
  }

  readonly #flushQueue = (): void => {
    const queued = this.#queue;
    if (queued.length === 0) return; // sent early, at MAX_PIPELINE, or by flush()
    this.#queue = [];
    void this.#send(queued.map((item) => item.envelope)).then((failures) => {
      let failed = 0;
      for (const { index, error } of failures) {
        for (; failed < index; failed++) queued[failed]?.resolve();
        queued[index]?.reject(error);
        failed = index + 1;
      }
      for (; failed < queued.length; failed++) queued[failed]?.resolve();
    });
  };

  /**
   * Sends one pipeline: resolves with the envelopes Redis did not store (all of them, when the
   * pipeline failed or had no reply within publishTimeoutMs), in index order; never rejects.
   */
  #send(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]> {
    const sent = this.#exec(envelopes).catch((error: unknown) =>
      envelopes.map((envelope, index) => ({ index, error: this.#notStored(envelope, error) })),
    );
    this.#sending.add(sent);
    void sent.finally(() => this.#sending.delete(sent));
    return sent;
  }

  async #exec(envelopes: readonly Envelope[]): Promise<readonly PublishFailure[]> {
    const failures: PublishFailure[] = [];
    const pipeline = this.#command.pipeline();
    /** The index in `envelopes` of each XADD of the pipeline, in order, and its stream. */
    const added: number[] = [];
    const names: string[] = [];
    const { dedupeWindowMs } = this.#options;
    envelopes.forEach((envelope, index) => {
      try {
        const name = this.#layout.nameOf(envelope.type);
        const key = this.#layout.keyOf(name);
        const fields = envelopeFields(envelope);
        if (dedupeWindowMs === undefined) {
          pipeline.xadd(key, '*', ...fields);
        } else {
          const dedupe = this.#layout.dedupeKey(envelope.id);
          pipeline.eval(DEDUPE_XADD, 2, key, dedupe, String(dedupeWindowMs), ...fields);
        }
        added.push(index);
        names.push(name);
      } catch (error) {
        // An envelope that cannot be written (a payload that is not bytes): it alone fails.
        failures.push({ index, error: this.#notStored(envelope, error) });
      }
    });
    if (added.length === 0) return failures;
    // Every batch names its streams again (SADD of a member already there is a no-op): a
    // server that restarted without its data has lost the set, and wildcard subscribers read it.
    pipeline.sadd(this.#layout.streamsKey, ...new Set(names));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no reply within ${this.#options.publishTimeoutMs} ms`)),
        this.#options.publishTimeoutMs,
      );
    });
    const unwritten = failures.length;
    try {
      const results = (await Promise.race([pipeline.exec(), timeout])) ?? [];
      let written: string | undefined;
      added.forEach((index, k) => {
        const error = results[k]?.[0];
        if (error) {
          failures.push({ index, error: this.#notStored(envelopes[index], error) });
          return;
        }
        // Added once per run of one name, not per entry: a batch is mostly one stream's.
        const name = names[k] ?? '';
        if (name !== written) this.#written.add(name);
        written = name;
      });
    } catch (error) {
      for (const index of added) {
        failures.push({ index, error: this.#notStored(envelopes[index], error) });
      }
    } finally {
      clearTimeout(timer);
    }
    // In index order, as promised, when some could not even be written.
    if (unwritten > 0) failures.sort((a, b) => a.index - b.index);
    return failures;
  }

  #notStored(envelope: Envelope | undefined, cause: unknown): RedisTransportError {
    return new RedisTransportError(
      RedisErrorCode.PublishFailed,
      `Redis did not store "${envelope?.type}" ${envelope?.id}: ${describeCause(cause)}. Publish it again; a retry may store it twice unless dedupeWindowMs is set.`,
      { cause },
    );
  }
}
