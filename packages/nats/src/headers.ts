import type { Envelope } from '@gossip/transport';
import { headers as natsHeaders } from '@nats-io/transport-node';

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
 * Makes the headers of one message. A new object every time: `js.publish` writes `Nats-Msg-Id`
 * into the headers it is given, so headers shared between messages would carry the first id
 * to the next message and the server would drop it as a duplicate.
 *
 * @internal
 * @param envelope - the envelope to send
 * @returns fresh headers for this message
 * @example
 * ```ts
 * await js.publish(subject, envelope.payload, { msgID: envelope.id, headers: toHeaders(envelope) });
 * ```
 */
export function toHeaders(envelope: Envelope): NatsHeaders {
  const headers = natsHeaders();
  headers.set(Header.Id, envelope.id);
  headers.set(Header.Type, envelope.type);
  headers.set(Header.Timestamp, String(envelope.timestamp));
  if (envelope.schemaVersion !== undefined) {
    headers.set(Header.SchemaVersion, String(envelope.schemaVersion));
  }
  for (const [key, value] of Object.entries(envelope.headers)) {
    if (key === CONTENT_TYPE) headers.set(Header.ContentType, value);
    else headers.set(`${META}${key}`, escapeValue(value));
  }
  return headers;
}

/**
 * Rebuilds the envelope of a received message from its headers, subject and payload.
 *
 * @internal
 * @param subject - the subject the message was stored under
 * @param prefix - the subject prefix, stripped to find the type when no header names it
 * @param headers - the message's headers, if any
 * @param payload - the message's data
 * @param fallbackId - an id for a message published without `Nats-Msg-Id` (not by gossip)
 * @returns the envelope
 * @example
 * ```ts
 * const envelope = fromHeaders(msg.subject, 'gossip', msg.headers, msg.data, `${msg.seq}`);
 * ```
 */
export function fromHeaders(
  subject: string,
  prefix: string,
  headers: NatsHeaders | undefined,
  payload: Uint8Array,
  fallbackId: string,
): Envelope {
  const get = (key: string): string | undefined => {
    const value = headers?.get(key);
    return value === undefined || value === '' ? undefined : value;
  };
  const meta: Record<string, string> = {};
  for (const key of headers?.keys() ?? []) {
    if (key.startsWith(META)) meta[key.slice(META.length)] = unescapeValue(headers?.get(key) ?? '');
  }
  const contentType = get(Header.ContentType);
  if (contentType !== undefined) meta[CONTENT_TYPE] = contentType;
  const version = Number(get(Header.SchemaVersion));
  const timestamp = Number(get(Header.Timestamp));
  return {
    id: get(Header.Id) ?? get(Header.MsgId) ?? fallbackId,
    type: get(Header.Type) ?? subject.slice(prefix.length + 1),
    timestamp: Number.isFinite(timestamp) ? timestamp : Date.now(),
    ...(Number.isInteger(version) && version > 0 ? { schemaVersion: version } : {}),
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
