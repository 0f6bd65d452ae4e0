import { InvalidOptionError } from '@gossip/core';
import type { DeadLetterReason, Envelope } from '@gossip/transport';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { messageOf } from './client-errors.js';
import { headerPairsOf } from './header-block.js';
import { fromHeaders, Header } from './headers.js';
import { NatsErrorCode, NatsTransportError } from './nats-error.js';
import type { ResolvedNatsOptions } from './nats-transport-options.js';

/**
 * A message under the dead-letter subjects, as {@link NatsTransport.readDeadLetters} returns it.
 *
 * @example
 * ```ts
 * for (const letter of await transport.readDeadLetters()) {
 *   logger.info(letter.envelope.type, letter.reason.code, letter.reason.message);
 * }
 * ```
 */
export interface NatsDeadLetter {
  /** Its sequence number in the stream. */
  readonly seq: number;
  /** The envelope, as it was when it was given up. */
  readonly envelope: Envelope;
  /** Why it was given up: the code, the last error's message and the deliveries it had. */
  readonly reason: DeadLetterReason;
  /** When it was dead-lettered (stored by the server), in milliseconds since the Unix epoch. */
  readonly at: number;
}

/**
 * @internal Reads the oldest `count` dead letters of the stream through an ordered consumer on
 * `<prefix>-dlq.>`, asking the stream first how many there are, so that it never waits for
 * more than exist.
 */
export async function readDeadLetters(
  jsm: JetStreamManager,
  js: JetStreamClient,
  options: ResolvedNatsOptions,
  count: number,
): Promise<NatsDeadLetter[]> {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidOptionError('readDeadLetters(count)', 'an integer of 1 or more', count);
  }
  const prefix = `${options.subjectPrefix}-dlq`;
  const filter = `${prefix}.>`;
  try {
    const info = await jsm.streams.info(options.stream, { subjects_filter: filter });
    let stored = 0;
    for (const messages of Object.values(info.state.subjects ?? {})) stored += messages;
    const wanted = Math.min(count, stored);
    if (wanted === 0) return [];
    const consumer = await js.consumers.get(options.stream, { filter_subjects: filter });
    const messages = await consumer.fetch({
      max_messages: wanted,
      expires: options.publishTimeout,
    });
    const letters: NatsDeadLetter[] = [];
    for await (const msg of messages) {
      letters.push(letterOf(msg, prefix));
      if (letters.length === wanted) break;
    }
    return letters;
  } catch (error) {
    throw new NatsTransportError(
      NatsErrorCode.Stream,
      `Could not read the dead letters of stream "${options.stream}" (${filter}): ${messageOf(error)}. Check that the server is reachable.`,
      { cause: error },
    );
  }
}

function letterOf(msg: JsMsg, prefix: string): NatsDeadLetter {
  const header = (name: string): string => msg.headers?.get(name) ?? '';
  return {
    seq: msg.seq,
    envelope: fromHeaders(msg.subject, prefix, headerPairsOf(msg), msg.data, () => String(msg.seq)),
    reason: {
      code: header(Header.DeadLetterCode),
      message: header(Header.DeadLetterMessage),
      attempts: Number(header(Header.DeadLetterAttempts)),
    },
    at: msg.time.getTime(),
  };
}
