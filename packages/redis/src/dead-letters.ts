import type { DeadLetterReason, Envelope } from '@gossip/transport';
import type { Redis } from 'ioredis';
import { envelopeOf } from './entry-envelope.js';
import { entriesOf, pairsOf, text } from './replies.js';

/**
 * A message in the dead-letter stream, as {@link RedisTransport.readDeadLetters} returns it.
 *
 * @example
 * ```ts
 * for (const letter of await transport.readDeadLetters()) {
 *   logger.info(letter.envelope?.type, letter.reason.code, letter.reason.message);
 * }
 * ```
 */
export interface RedisDeadLetter {
  /** The entry's id in `<prefix>:dlq`. */
  readonly streamId: string;
  /** The envelope, or undefined if the dead-lettered entry was not one. */
  readonly envelope: Envelope | undefined;
  readonly reason: DeadLetterReason;
  /** When it was dead-lettered, in milliseconds since the Unix epoch. */
  readonly at: number;
}

/**
 * @internal Adds an entry to the dead-letter stream: the message's own fields, then the reason
 * (`error.code`, `error.message`, `error.attempts`) and when (`error.at`).
 */
export async function addDeadLetter(
  command: Redis,
  key: string,
  fields: Array<string | Buffer>,
  reason: DeadLetterReason,
): Promise<void> {
  await command.xadd(
    key,
    '*',
    ...fields,
    'error.code',
    reason.code,
    'error.message',
    reason.message,
    'error.attempts',
    String(reason.attempts),
    'error.at',
    String(Date.now()),
  );
}

/** @internal The oldest `count` entries of the dead-letter stream, read back. */
export async function readDeadLetters(
  command: Redis,
  key: string,
  count: number,
): Promise<RedisDeadLetter[]> {
  const reply = await command.callBuffer('XRANGE', key, '-', '+', 'COUNT', count);
  return entriesOf(reply).map(({ id, fields = [] }) => {
    const map = pairsOf(fields);
    const field = (name: string): string => {
      const value = map.get(name);
      return value === undefined ? '' : text(value);
    };
    let envelope: Envelope | undefined;
    try {
      envelope = envelopeOf(fields);
    } catch {
      envelope = undefined;
    }
    return {
      streamId: id,
      envelope,
      reason: {
        code: field('error.code'),
        message: field('error.message'),
        attempts: Number(field('error.attempts')),
      },
      at: Number(field('error.at')),
    };
  });
}
