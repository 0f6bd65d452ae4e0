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
  // append, not set: the object is new, and set() first lists every key to delete the old value.
  headers.append(Header.Id, envelope.id);
  headers.append(Header.Type, envelope.type);
  headers.append(Header.Timestamp, String(envelope.timestamp));
  if (envelope.schemaVersion !== undefined) {
    headers.append(Header.SchemaVersion, String(envelope.schemaVersion));
  }
  for (const [key, value] of Object.entries(envelope.headers)) {
    if (key === CONTENT_TYPE) headers.append(Header.ContentType, value);
    else headers.append(`${META}${key}`, escapeValue(value));
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
 * @param fallbackId - makes an id for a message published without one (not by gossip)
 * @returns the envelope
 * @example
 * ```ts
 * const envelope = fromHeaders(msg.subject, 'gossip', msg.headers, msg.data, () => `${msg.seq}`);
 * ```
 */
export function fromHeaders(
  subject: string,
  prefix: string,
  headers: NatsHeaders | undefined,
  payload: Uint8Array,
  fallbackId: () => string,
): Envelope {
  // One pass over the headers: the client's get() lists and filters every key on each call.
  const meta: Record<string, string> = {};
  let id: string | undefined;
  let msgId: string | undefined;
  let type: string | undefined;
  let version = Number.NaN;
  let timestamp = Number.NaN;
  for (const [key, values] of headers ?? []) {
    const value = values[0];
    if (value === undefined || value === '') continue;
    if (key.startsWith(META)) meta[key.slice(META.length)] = unescapeValue(value);
    else if (key === Header.Id) id = value;
    else if (key === Header.Type) type = value;
    else if (key === Header.Timestamp) timestamp = Number(value);
    else if (key === Header.SchemaVersion) version = Number(value);
    else if (key === Header.ContentType) meta[CONTENT_TYPE] = value;
    else if (key === Header.MsgId) msgId = value;
  }
  return {
    id: id ?? msgId ?? fallbackId(),
    type: type ?? subject.slice(prefix.length + 1),
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
