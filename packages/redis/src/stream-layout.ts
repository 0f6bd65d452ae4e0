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

/** @internal The fields of a stream entry for an envelope. */
export function envelopeFields(envelope: Envelope): Array<string | Buffer> {
  const fields: Array<string | Buffer> = [
    'id',
    envelope.id,
    'type',
    envelope.type,
    'ts',
    String(envelope.timestamp),
    'h',
    JSON.stringify(envelope.headers),
    'p',
    Buffer.from(envelope.payload.buffer, envelope.payload.byteOffset, envelope.payload.byteLength),
  ];
  if (envelope.schemaVersion !== undefined) fields.push('v', String(envelope.schemaVersion));
  return fields;
}

/** The field names of an entry, as bytes. */
const FIELD = {
  id: Buffer.from('id'),
  type: Buffer.from('type'),
  ts: Buffer.from('ts'),
  h: Buffer.from('h'),
  p: Buffer.from('p'),
  v: Buffer.from('v'),
} as const;

/** Whether a field name is `name`, compared byte by byte (the names are at most 4 bytes). */
function is(key: Buffer, name: Buffer): boolean {
  if (key.length !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (key[i] !== name[i]) return false;
  return true;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The last headers read, parsed: the entries of a stream mostly carry the same ones. */
let lastHeaders: { text: string; parsed: Readonly<Record<string, string>> } | undefined;

/** The `h` field parsed (and frozen, since it may be shared), or undefined if not an object. */
function headersOf(text: string): Readonly<Record<string, string>> | undefined {
  if (lastHeaders?.text === text) return lastHeaders.parsed;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  lastHeaders = { text, parsed: Object.freeze(parsed as Record<string, string>) };
  return lastHeaders.parsed;
}

/**
 * @internal Reads an envelope back from entry fields; undefined if they are not one. The field
 * names are compared as bytes, without making a string of each.
 */
export function envelopeOf(fields: readonly Buffer[]): Envelope | undefined {
  let id: string | undefined;
  let type: string | undefined;
  let timestamp = Number.NaN;
  let payload: Buffer | undefined;
  let rawHeaders: Buffer | undefined;
  let version: Buffer | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i] as Buffer;
    const value = fields[i + 1] as Buffer;
    if (is(key, FIELD.p)) payload = value;
    else if (is(key, FIELD.id)) id = value.toString('utf8');
    else if (is(key, FIELD.type)) type = value.toString('utf8');
    else if (is(key, FIELD.ts)) timestamp = Number(value.toString('latin1'));
    else if (is(key, FIELD.h)) rawHeaders = value;
    else if (is(key, FIELD.v)) version = value;
  }
  if (id === undefined || type === undefined || payload === undefined) return undefined;
  if (!Number.isFinite(timestamp)) return undefined;
  let headers: Readonly<Record<string, string>> = NO_HEADERS;
  if (rawHeaders !== undefined) {
    const parsed = headersOf(rawHeaders.toString('utf8'));
    if (parsed === undefined) return undefined;
    headers = parsed;
  }
  const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  return version === undefined
    ? { id, type, timestamp, payload: bytes, headers }
    : {
        id,
        type,
        timestamp,
        schemaVersion: Number(version.toString('latin1')),
        payload: bytes,
        headers,
      };
}
