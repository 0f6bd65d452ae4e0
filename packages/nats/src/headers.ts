import type { DeadLetterReason, Envelope } from '@gossip/transport';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { HeaderPairs } from './header-block.js';

/** The NATS headers an envelope travels with (metadata keys go under {@link META}). */
export const Header = {
  Id: 'Gossip-Id',
  Type: 'Gossip-Type',
  SchemaVersion: 'Gossip-Schema-Version',
  Timestamp: 'Gossip-Timestamp',
  ContentType: 'Content-Type',
  MsgId: 'Nats-Msg-Id',
  DeadLetterCode: 'Gossip-Dead-Letter-Code',
  DeadLetterMessage: 'Gossip-Dead-Letter-Message',
  DeadLetterAttempts: 'Gossip-Dead-Letter-Attempts',
} as const;

/** The envelope header of the codec's MIME type, carried as the standard `Content-Type`. */
const CONTENT_TYPE = 'content-type';

/** The prefix of a metadata header: metadata `traceparent` travels as `Gossip-Meta-traceparent`. */
export const META = 'Gossip-Meta-';

type NatsHeaders = ReturnType<typeof natsHeaders>;

/**
 * Makes the headers of one event. A new object every time: headers shared between messages
 * would carry one message's `Nats-Msg-Id` to the next, and the server would drop that one as a
 * duplicate. The event id travels as `Nats-Msg-Id` (the server's de-duplication key) and the
 * type as the subject, so neither is written twice.
 *
 * @internal
 * @param envelope - the envelope to send
 * @returns fresh headers for this message
 * @example
 * ```ts
 * await pipeline.publish(subject, envelope.payload, toHeaders(envelope));
 * ```
 */
export function toHeaders(envelope: Envelope): NatsHeaders {
  const headers = natsHeaders();
  // append, not set: the object is new, and set() first lists every key to delete the old value.
  headers.append(Header.MsgId, envelope.id);
  appendEnvelope(headers, envelope);
  return headers;
}

/**
 * Makes the headers of a dead letter: the envelope's, with its id and type (a dead letter has no
 * `Nats-Msg-Id`, and its subject is the dead-letter one) and the reason.
 *
 * @internal
 * @param envelope - the envelope given up
 * @param reason - why, and after how many attempts
 * @returns fresh headers for the dead letter
 * @example
 * ```ts
 * await pipeline.publish(`${prefix}-dlq.${envelope.type}`, envelope.payload, deadLetterHeaders(envelope, reason));
 * ```
 */
export function deadLetterHeaders(envelope: Envelope, reason: DeadLetterReason): NatsHeaders {
  const headers = natsHeaders();
  headers.append(Header.Id, envelope.id);
  headers.append(Header.Type, envelope.type);
  appendEnvelope(headers, envelope);
  headers.append(Header.DeadLetterCode, oneLine(reason.code));
  headers.append(Header.DeadLetterMessage, oneLine(reason.message));
  headers.append(Header.DeadLetterAttempts, String(reason.attempts));
  return headers;
}

function appendEnvelope(headers: NatsHeaders, envelope: Envelope): void {
  headers.append(Header.Timestamp, String(envelope.timestamp));
  if (envelope.schemaVersion !== undefined) {
    headers.append(Header.SchemaVersion, String(envelope.schemaVersion));
  }
  for (const key in envelope.headers) {
    const value = envelope.headers[key] as string;
    if (key === CONTENT_TYPE) headers.append(Header.ContentType, value);
    else headers.append(`${META}${key}`, escapeValue(value));
  }
}

// A header value cannot hold CR or LF; an error message often does.
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim();

/**
 * Rebuilds the envelope of a received message from its headers, subject and payload. Where a
 * key comes more than once, its first value counts (an empty one too), as the client's
 * `headers.get()` gives it.
 *
 * @internal
 * @param subject - the subject the message was stored under
 * @param prefix - the subject prefix, stripped to find the type when no header names it
 * @param pairs - the message's headers (see {@link headerPairsOf})
 * @param payload - the message's data
 * @param fallbackId - makes an id for a message published without one (not by gossip)
 * @returns the envelope
 * @example
 * ```ts
 * const envelope = fromHeaders(msg.subject, 'gossip', headerPairsOf(msg), msg.data, () => `${msg.seq}`);
 * ```
 */
export function fromHeaders(
  subject: string,
  prefix: string,
  pairs: HeaderPairs,
  payload: Uint8Array,
  fallbackId: () => string,
): Envelope {
  const meta: Record<string, string> = {};
  let id: string | undefined;
  let msgId: string | undefined;
  let type: string | undefined;
  let version: string | undefined;
  let timestamp: string | undefined;
  next: for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i] as string;
    // A key's first value counts, even empty (the client's headers object groups a key's
    // values and get() gives the first): a repeat is skipped. Headers are few; a scan is cheap.
    for (let j = 0; j < i; j += 2) if (pairs[j] === key) continue next;
    const value = pairs[i + 1] as string;
    if (value === '') continue;
    if (key.startsWith(META)) meta[key.slice(META.length)] = unescapeValue(value);
    else if (key === Header.Id) id = value;
    else if (key === Header.Type) type = value;
    else if (key === Header.Timestamp) timestamp = value;
    else if (key === Header.SchemaVersion) version = value;
    else if (key === Header.ContentType) meta[CONTENT_TYPE] = value;
    else if (key === Header.MsgId) msgId = value;
  }
  const time = Number(timestamp);
  const schemaVersion = Number(version);
  return {
    id: id ?? msgId ?? fallbackId(),
    type: type ?? subject.slice(prefix.length + 1),
    timestamp: timestamp !== undefined && Number.isFinite(time) ? time : Date.now(),
    ...(Number.isInteger(schemaVersion) && schemaVersion > 0 ? { schemaVersion } : {}),
    payload,
    headers: meta,
  };
}

// NATS header values cannot hold CR or LF and lose surrounding whitespace, so those characters
// (and `%`, to keep the escape unambiguous) travel percent-encoded; plain values are unchanged.
const UNSAFE = /[%\r\n]|^\s|\s$/;

function escapeValue(value: string): string {
  if (!UNSAFE.test(value)) return value;
  return value.replace(/[%\r\n]/g, encodeURIComponent).replace(/^\s+|\s+$/g, encodeURIComponent);
}

function unescapeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Not escaped by gossip (a header set by another publisher): keep it as it came.
    return value;
  }
}
