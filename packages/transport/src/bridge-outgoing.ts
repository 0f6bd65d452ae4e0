import { type AnyEvent, compilePattern, type Metadata, MetadataKey } from '@gossip/core';
import { CONTENT_TYPE, type Report, type Settings } from './bridge-settings.js';
import type { Envelope } from './envelope.js';
import type { PublishFailure, Transport } from './transport.js';
import { TransportErrorCode } from './transport-error.js';

/** How many event types' forwarding decisions a bridge keeps (see `#goesOut`). */
const GOES_OUT_TYPES = 1024;

/** The most envelopes handed to a transport's `publishBatch` at once. */
const BATCH_MOST = 1000;

/** The headers made of one metadata object, and the schema version it carries. */
interface Headers {
  readonly metadata: Metadata;
  readonly headers: Readonly<Record<string, string>>;
  readonly version: number;
}

/**
 * @internal A bridge's outgoing half: encodes the local events its patterns take into envelopes
 * and publishes them, at most `maxOutgoing` waiting for the broker's ack; `drained()` waits for
 * the last ack. To a transport with `publishBatch`, the envelopes of one turn of the event loop
 * go as one batch (at most BATCH_MOST): one promise and one reaction per batch, where `publish`
 * takes one of each per event and keeps them alive until the ack.
 */
export class Outgoing {
  readonly #transport: Transport;
  readonly #settings: Settings;
  readonly #report: Report;
  /** Publishes handed to the transport and not yet settled. */
  #outgoing = 0;
  /** Resolves `drained()`'s wait once the last outgoing publish settles. */
  #outgoingDone: (() => void) | undefined;
  readonly #matches: (type: string) => boolean;
  /** Whether an event type goes out, per type seen (cleared past GOES_OUT_TYPES types). */
  readonly #goesOutByType = new Map<string, boolean>();
  #lastHeaders: Headers | undefined;
  /** The envelopes waiting for the end of the turn, with a transport that takes batches. */
  #batch: Envelope[] = [];
  /** The transport's `publishBatch`, bound, if it has one. */
  readonly #publishBatch:
    | ((envelopes: readonly Envelope[]) => Promise<readonly PublishFailure[]>)
    | undefined;

  constructor(transport: Transport, settings: Settings, report: Report) {
    this.#transport = transport;
    this.#settings = settings;
    this.#report = report;
    this.#publishBatch = transport.publishBatch?.bind(transport);
    const matchers = settings.publish.map(compilePattern);
    this.#matches = (type) => matchers.some((matches) => matches(type));
  }

  /** Resolves once no publish waits for its ack. */
  drained(): Promise<void> {
    if (this.#outgoing === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#outgoingDone = resolve;
    });
  }

  /**
   * Sends a local event to the broker if the patterns take it; the bridge stops calling it once
   * it closes.
   */
  forward(event: AnyEvent): void {
    if (!this.#goesOut(event.type)) return;
    if (this.#outgoing >= this.#settings.maxOutgoing) {
      this.#report(
        TransportErrorCode.OutgoingFull,
        event,
        `${this.#outgoing} events wait for the broker's ack (maxOutgoing), so this one was handled locally only. Check that the broker is reachable, or raise maxOutgoing if it is only slower than the bus in bursts`,
        undefined,
      );
      return;
    }
    let envelope: Envelope;
    try {
      envelope = this.#envelopeOf(event);
    } catch (cause) {
      this.#report(
        TransportErrorCode.EncodeFailed,
        event,
        'Could not encode the event for the broker; it was handled locally only. Make its payload encodable by the codec',
        cause,
      );
      return;
    }
    this.#outgoing++;
    if (this.#publishBatch !== undefined) {
      this.#batch.push(envelope);
      if (this.#batch.length === 1) setImmediate(this.#sendBatch);
      else if (this.#batch.length === BATCH_MOST) this.#sendBatch();
      return;
    }
    let sent: Promise<void>;
    try {
      // Promise.resolve: a transport that answers with something else fails no further.
      sent = Promise.resolve(this.#transport.publish(envelope));
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    // A counter and one reaction per event, rather than a set of promises: drained() waits for
    // the count to reach zero.
    sent.then(this.#published, (cause: unknown) => {
      this.#notStored(envelope, cause);
      this.#published();
    });
  }

  /** Hands the waiting envelopes to `publishBatch` (a batch sent early leaves none). */
  readonly #sendBatch = (): void => {
    const batch = this.#batch;
    const publishBatch = this.#publishBatch;
    if (batch.length === 0 || publishBatch === undefined) return;
    this.#batch = [];
    let sent: Promise<readonly PublishFailure[]>;
    try {
      sent = Promise.resolve(publishBatch(batch));
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    sent.then(
      (failures) => {
        if (!Array.isArray(failures)) {
          const cause = new TypeError(
            `${this.#transport.name}'s publishBatch resolved with something other than an array of failures`,
          );
          for (const envelope of batch) this.#notStored(envelope, cause);
        } else {
          for (const failure of failures as ReadonlyArray<PublishFailure | undefined>) {
            const envelope = batch[failure?.index ?? -1];
            if (envelope !== undefined) this.#notStored(envelope, failure?.error);
          }
        }
        this.#settle(batch.length);
      },
      (cause: unknown) => {
        for (const envelope of batch) this.#notStored(envelope, cause);
        this.#settle(batch.length);
      },
    );
  };

  #notStored(envelope: Envelope, cause: unknown): void {
    this.#report(
      TransportErrorCode.PublishFailed,
      envelope,
      'The broker did not store the event; it was handled locally only. Publish it again once the broker is reachable',
      cause,
    );
  }

  /** Counts `count` publishes settled. */
  #settle(count: number): void {
    this.#outgoing -= count;
    if (this.#outgoing === 0) this.#outgoingDone?.();
  }

  /**
   * Whether events of a type go to the broker. Kept per type: a wildcard pattern splits the type
   * at every test, on the path of every published event. Cleared when it holds GOES_OUT_TYPES
   * types, so that an application publishing ever new names does not grow it without bound.
   */
  #goesOut(type: string): boolean {
    let goes = this.#goesOutByType.get(type);
    if (goes === undefined) {
      goes = this.#matches(type);
      if (this.#goesOutByType.size >= GOES_OUT_TYPES) this.#goesOutByType.clear();
      this.#goesOutByType.set(type, goes);
    }
    return goes;
  }

  readonly #published = (): void => this.#settle(1);

  #envelopeOf(event: AnyEvent): Envelope {
    const { headers, version } = this.#headersOf(event.metadata);
    const payload = this.#settings.codec.encode(event.data);
    // Two literals rather than a conditional spread, which builds a throwaway object and copies
    // it, per forwarded event.
    return isVersion(version)
      ? {
          id: event.id,
          type: event.type,
          timestamp: event.timestamp,
          schemaVersion: version,
          payload,
          headers,
        }
      : { id: event.id, type: event.type, timestamp: event.timestamp, payload, headers };
  }

  /**
   * The headers an event's metadata travels as, and the schema version it carries. Events of a
   * type published without metadata share one frozen metadata object, so the last one's headers
   * (frozen too) are used again while the object is the same.
   */
  #headersOf(metadata: Metadata): Headers {
    if (this.#lastHeaders?.metadata === metadata) return this.#lastHeaders;
    const stamp = metadata[MetadataKey.SchemaVersion];
    const version = Number(stamp);
    // The version travels once, as the envelope's schemaVersion (Incoming puts it back among the metadata), when
    // the stamp is exactly a version; anything else in that key travels as it is.
    const skip = isVersion(version) && String(version) === stamp ? MetadataKey.SchemaVersion : '';
    const headers: Record<string, string> = {};
    for (const key in metadata) {
      if (key !== skip) headers[key] = metadata[key] as string;
    }
    headers[CONTENT_TYPE] = this.#settings.codec.contentType;
    const made: Headers = { metadata, headers: Object.freeze(headers), version };
    // Kept only for a metadata object that cannot change under it.
    if (Object.isFrozen(metadata)) this.#lastHeaders = made;
    return made;
  }
}

function isVersion(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}
