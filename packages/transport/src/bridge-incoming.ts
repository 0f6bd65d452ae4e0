import {
  BusClosedError,
  ErrorCode,
  Fifo,
  type FifoEntry,
  GossipError,
  type Metadata,
  MetadataKey,
} from '@gossip/core';
import {
  type BridgedBus,
  CONTENT_TYPE,
  exponentialBackoff,
  type Report,
  type Settings,
} from './bridge-settings.js';
import type { Envelope } from './envelope.js';
import type { DeadLetterReason, Transport, TransportMessage } from './transport.js';
import { TransportErrorCode } from './transport-error.js';

/** What `#decode` returns for a payload its codec could not read. */
class DecodeFailure {
  constructor(readonly cause: unknown) {}
}

/** The bridge's state for one message it was handed. */
interface Taken {
  readonly message: TransportMessage;
  settled: boolean;
  /** Its place among the messages not yet released. */
  link: FifoEntry<Taken> | undefined;
}

/**
 * @internal A bridge's incoming half: decodes each message of the subscription, hands it to
 * `bus.receive()` and settles it by what the handlers did (ack, nack with backoff, or dead
 * letter); `unsettled()` names the messages it could not settle, for close() to report.
 */
export class Incoming {
  readonly #bus: BridgedBus;
  readonly #transport: Transport;
  readonly #settings: Settings;
  readonly #report: Report;
  readonly #close: () => void;
  /**
   * The messages handed over and not yet released. A linked list (core's Fifo), not a Set: each
   * message is added once and deleted once, and a Set, which hashes every new object it is
   * given, cost about 2 µs per message on this path (a stub transport, 3.9 to 2.0 µs).
   */
  readonly #taken = new Fifo<Taken>();

  /**
   * @param close - closes the bridge: called when a message arrives after the bus closed
   */
  constructor(
    bus: BridgedBus,
    transport: Transport,
    settings: Settings,
    report: Report,
    close: () => void,
  ) {
    this.#bus = bus;
    this.#transport = transport;
    this.#settings = settings;
    this.#report = report;
    this.#close = close;
  }

  /** Takes out the messages handed over and never settled. */
  unsettled(): TransportMessage[] {
    const messages: TransportMessage[] = [];
    for (const { message, settled } of this.#taken.drain()) if (!settled) messages.push(message);
    return messages;
  }

  /**
   * Handles one message of the subscription; never rejects. Not an async function, nor is any
   * step after it: every received message takes this path, and an async function's suspended
   * state (about a kilobyte a message, measured) costs several times a promise chain's reactions.
   */
  readonly onMessage = (message: TransportMessage): Promise<void> => {
    const taken: Taken = { message, settled: false, link: undefined };
    taken.link = this.#taken.push(taken);
    let handled: Promise<void>;
    try {
      handled = this.#handle(taken);
    } catch (cause) {
      handled = Promise.reject(cause);
    }
    return handled.then(
      () => this.#release(taken),
      (cause: unknown) => this.#unexpected(taken, cause),
    );
  };

  /** Hands the message to the bus and settles it by what its handlers did. */
  #handle(taken: Taken): Promise<void> {
    // `attempt` is read only where a message fails: a transport may work it out on demand.
    const { envelope } = taken.message;
    if (this.#bus.closed) return this.#handBack(taken);
    const data = this.#decode(envelope);
    if (data instanceof DecodeFailure) {
      return this.#deadLetter(taken, {
        code: TransportErrorCode.DecodeFailed,
        message: `Cannot decode the payload of "${envelope.type}" (${envelope.id}): ${messageOf(data.cause)}`,
        attempts: taken.message.attempt,
      });
    }
    return this.#bus
      .receive({
        id: envelope.id,
        type: envelope.type,
        timestamp: envelope.timestamp,
        data,
        metadata: this.#metadataOf(envelope),
      })
      .then(
        ({ errors }) => this.#settleBy(taken, errors),
        (error: unknown) => this.#refused(taken, error),
      );
  }

  /** Acks a message its handlers all took, and nacks or dead-letters one they failed. */
  #settleBy(taken: Taken, errors: ReadonlyArray<GossipError>): Promise<void> {
    if (errors.length === 0) return this.#settle(taken, 'ack');
    if (errors.every((error) => error instanceof BusClosedError)) {
      // Abandoned at the shutdown deadline: not the handler's fault, so not an attempt used up.
      return this.#settle(taken, 'nack', 0);
    }
    const { attempt } = taken.message;
    if (attempt >= this.#settings.maxAttempts) {
      return this.#deadLetter(taken, reasonOf(errors, attempt));
    }
    return this.#settle(taken, 'nack', this.#delayAfter(attempt));
  }

  /** What `receive` threw: a closed bus hands the message back, a refused one is dead-lettered. */
  #refused(taken: Taken, error: unknown): Promise<void> {
    if (error instanceof BusClosedError) return this.#handBack(taken);
    if (error instanceof GossipError && REFUSED.has(error.code)) {
      return this.#deadLetter(taken, reasonOf([error], taken.message.attempt));
    }
    return Promise.reject(error);
  }

  /** The bus takes no more events: hand the message back at once, for another process. */
  #handBack(taken: Taken): Promise<void> {
    return this.#settle(taken, 'nack', 0).then(() => {
      this.#close();
    });
  }

  #unexpected(taken: Taken, cause: unknown): Promise<void> | undefined {
    const { message } = taken;
    this.#report(
      TransportErrorCode.Unexpected,
      message.envelope,
      'The bridge failed while handling a message; it is redelivered',
      cause,
    );
    if (taken.settled) return this.#release(taken);
    return this.#settle(taken, 'nack', this.#delayAfter(message.attempt)).then(() =>
      this.#release(taken),
    );
  }

  /** Forgets a settled message; one left unsettled stays, for close() to report. */
  #release(taken: Taken): undefined {
    if (taken.settled && taken.link !== undefined) this.#taken.delete(taken.link);
    return undefined;
  }

  /** The payload decoded by the codec, or a DecodeFailure saying why it could not be. */
  #decode(envelope: Envelope): unknown {
    const { codec } = this.#settings;
    const contentType = envelope.headers[CONTENT_TYPE];
    try {
      if (contentType !== undefined && contentType !== codec.contentType) {
        throw new Error(
          `its content type is "${contentType}", the codec reads "${codec.contentType}"`,
        );
      }
      return codec.decode(envelope.payload);
    } catch (cause) {
      return new DecodeFailure(cause);
    }
  }

  #metadataOf(envelope: Envelope): Metadata {
    // Copied key by key rather than spread and deleted from: a deleted key turns the object
    // into a slow dictionary, and the bus copies it again.
    const metadata: Record<string, string> = {};
    const { headers } = envelope;
    for (const key in headers) {
      if (key !== CONTENT_TYPE) metadata[key] = headers[key] as string;
    }
    if (envelope.schemaVersion !== undefined && metadata[MetadataKey.SchemaVersion] === undefined) {
      metadata[MetadataKey.SchemaVersion] = String(envelope.schemaVersion);
    }
    return metadata;
  }

  #delayAfter(attempt: number): number {
    try {
      const ms = this.#settings.backoff(attempt);
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms;
    } catch {
      // A backoff that throws falls back on the default, as one that returns nonsense does.
    }
    return exponentialBackoff(attempt);
  }

  async #deadLetter(taken: Taken, reason: DeadLetterReason): Promise<void> {
    const { envelope, attempt } = taken.message;
    if (this.#settings.deadLetter) {
      try {
        await this.#transport.deadLetter(envelope, reason);
      } catch (cause) {
        this.#report(
          TransportErrorCode.DeadLetterFailed,
          envelope,
          `Could not dead-letter the message (${reason.code}); it is redelivered and dead-lettered again then`,
          cause,
        );
        await this.#settle(taken, 'nack', this.#delayAfter(attempt));
        return;
      }
    }
    await this.#settle(taken, 'term');
  }

  /**
   * Acks, nacks or terms a message; a failure is reported (the broker redelivers it), never
   * rejected. Not an async function: each message is settled once, on the path every message
   * takes, and an async function's state costs several times the two reactions here.
   */
  #settle(taken: Taken, action: 'ack' | 'nack' | 'term', delay?: number): Promise<void> {
    const { message } = taken;
    let settling: Promise<void>;
    try {
      // Promise.resolve: a transport's message that returns nothing is settled all the same.
      settling = Promise.resolve(
        action === 'ack' ? message.ack() : action === 'term' ? message.term() : message.nack(delay),
      );
    } catch (cause) {
      settling = Promise.reject(cause);
    }
    return settling.then(
      () => {
        taken.settled = true;
      },
      (cause: unknown) =>
        this.#report(
          TransportErrorCode.SettleFailed,
          message.envelope,
          `Could not ${action} the message; the broker redelivers it`,
          cause,
        ),
    );
  }
}

/** Failures of the message itself, the same at every delivery: never worth redelivering. */
const REFUSED: ReadonlySet<string> = new Set([
  ErrorCode.Validation,
  ErrorCode.Upcast,
  ErrorCode.UnknownEvent,
  ErrorCode.InvalidOption,
]);

function reasonOf(errors: ReadonlyArray<GossipError>, attempts: number): DeadLetterReason {
  const [first] = errors;
  return {
    code: String(first?.code ?? ErrorCode.Handler),
    message: errors.map((error) => messageOf(error)).join('; '),
    attempts,
  };
}

function messageOf(value: unknown): string {
  try {
    return value instanceof Error ? value.message : String(value);
  } catch {
    return 'an unreadable value';
  }
}
