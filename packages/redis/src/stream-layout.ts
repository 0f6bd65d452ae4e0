import { isUtf8 } from 'node:buffer';
import { compilePattern, isWildcard } from '@gossip/core';
import type { Envelope } from '@gossip/transport';

/**
 * @internal The keys the transport writes, all under one prefix:
 * `<prefix>:stream:<name>` per stream, `<prefix>:streams` (a set of the stream names, read by
 * wildcard subscriptions), `<prefix>:dlq` and `<prefix>:dedupe:<event id>`.
 */
export class StreamLayout {
  readonly prefix: string;
  readonly per: 'type' | 'prefix';
  readonly streamsKey: string;
  readonly deadLetterKey: string;
  readonly #keys = new Map<string, string>();

  constructor(prefix: string, per: 'type' | 'prefix') {
    this.prefix = prefix;
    this.per = per;
    this.streamsKey = `${prefix}:streams`;
    this.deadLetterKey = `${prefix}:dlq`;
  }

  /** The stream name of an event type: the type, or its first segment. */
  nameOf(type: string): string {
    if (this.per === 'type') return type;
    const dot = type.indexOf('.');
    return dot === -1 ? type : type.slice(0, dot);
  }

  keyOf(name: string): string {
    // Kept per name: every published entry names its stream's key, and a key built anew is a
    // concatenation ioredis flattens again at each write. As many as the transport's streams.
    let key = this.#keys.get(name);
    if (key === undefined) {
      key = `${this.prefix}:stream:${name}`;
      this.#keys.set(name, key);
    }
    return key;
  }

  dedupeKey(id: string): string {
    return `${this.prefix}:dedupe:${id}`;
  }

  /**
   * Splits patterns into the stream names they name outright and a test for names found later
   * (undefined when no pattern needs discovery).
   */
  plan(patterns: readonly string[]): {
    exact: Set<string>;
    discover: ((name: string) => boolean) | undefined;
  } {
    const exact = new Set<string>();
    const tests: Array<(name: string) => boolean> = [];
    for (const pattern of patterns) {
      const first = pattern.split('.')[0] ?? pattern;
      if (this.per === 'type') {
        if (isWildcard(pattern)) tests.push(compilePattern(pattern));
        else exact.add(pattern);
      } else if (isWildcard(first)) {
        tests.push(() => true);
      } else {
        exact.add(first);
      }
    }
    const discover =
      tests.length === 0 ? undefined : (name: string) => tests.some((test) => test(name));
    return { exact, discover };
  }
}

/** The last headers object written and its JSON: a bridge hands one frozen object per type. */
let lastHeaders: { readonly headers: object; readonly json: string } | undefined;

function headersJson(headers: Readonly<Record<string, string>>): string {
  if (lastHeaders?.headers === headers) return lastHeaders.json;
  const json = JSON.stringify(headers);
  if (Object.isFrozen(headers)) lastHeaders = { headers, json };
  return json;
}

/** @internal The fields of a stream entry for an envelope. */
export function envelopeFields(envelope: Envelope): Array<string | Buffer> {
  const { id, type, timestamp, schemaVersion } = envelope;
  const headers = headersJson(envelope.headers);
  const payload = payloadField(envelope.payload);
  // Two literals, each allocated at its size, rather than one grown by a push per entry.
  return schemaVersion === undefined
    ? ['id', id, 'type', type, 'ts', String(timestamp), 'h', headers, 'p', payload]
    : [
        'id',
        id,
        'type',
        type,
        'ts',
        String(timestamp),
        'h',
        headers,
        'p',
        payload,
        'v',
        String(schemaVersion),
      ];
}

/**
 * A payload as the entry's `p` field is written: valid UTF-8 (what a text codec such as JSON
 * makes) as a string, any other bytes as a Buffer. Redis stores the same bytes either way, and
 * reads give them back as they were; but one Buffer among a command's arguments makes ioredis
 * assemble the whole command in a buffer of its own, 3 to 4 µs more per XADD than a command
 * of strings.
 */
function payloadField(payload: Uint8Array): string | Buffer {
  if (isUtf8(payload)) return text.decode(payload);
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** Keeps a leading byte order mark, so that the string encodes back to exactly the bytes. */
const text = new TextDecoder('utf-8', { ignoreBOM: true });
