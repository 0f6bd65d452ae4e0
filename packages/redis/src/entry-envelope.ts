import type { Envelope } from '@gossip/transport';

// Reading an entry is on the path of every message a subscription receives: the field names are
// told apart by their bytes, the numbers read from their digits, and a type or headers equal to
// the last entry's bytes reuse its string or parsed object, so that a typical entry costs one
// string (its id) besides the envelope.

const I = 0x69; // i
const D = 0x64; // d
const T = 0x74; // t
const S = 0x73; // s
const H = 0x68; // h
const P = 0x70; // p
const V = 0x76; // v
const TYPE = Buffer.from('type');
const ZERO = 0x30;

/** Whether two byte strings are equal, compared in JavaScript (shorter than a native call costs). */
function same(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A field's number: its digits read as bytes, or, for anything else (a sign, a fraction, an
 * exponent, more digits than a double holds exactly), what `Number` makes of its text.
 */
function numberOf(value: Buffer): number {
  if (value.length === 0 || value.length > 15) return Number(value.toString('latin1'));
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = (value[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return Number(value.toString('latin1'));
    n = n * 10 + digit;
  }
  return n;
}

/** The last entry's type, as bytes and as text: a stream mostly carries one type. */
let lastType: { bytes: Buffer; text: string } | undefined;

function typeOf(value: Buffer): string {
  if (lastType !== undefined && same(lastType.bytes, value)) return lastType.text;
  const text = value.toString('utf8');
  // Copied: the reply's bytes are a view of the socket's chunk, which must not be kept.
  lastType = { bytes: Buffer.from(value), text };
  return text;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The last headers read, parsed: the entries of a stream mostly carry the same ones. */
let lastHeaders: { bytes: Buffer; parsed: Readonly<Record<string, string>> } | undefined;

/** The `h` field parsed (and frozen, since it may be shared), or undefined if not an object. */
function headersOf(value: Buffer): Readonly<Record<string, string>> | undefined {
  if (lastHeaders !== undefined && same(lastHeaders.bytes, value)) return lastHeaders.parsed;
  const parsed: unknown = JSON.parse(value.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  lastHeaders = {
    bytes: Buffer.from(value),
    parsed: Object.freeze(parsed as Record<string, string>),
  };
  return lastHeaders.parsed;
}

/**
 * @internal Reads an envelope back from an entry's fields (see `envelopeFields`); undefined if
 * they are not one. The payload is the field's own bytes, not a copy.
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
    if (key.length === 1) {
      const name = key[0];
      if (name === P) payload = value;
      else if (name === H) rawHeaders = value;
      else if (name === V) version = value;
    } else if (key.length === 2) {
      if (key[0] === I && key[1] === D) id = value.toString('utf8');
      else if (key[0] === T && key[1] === S) timestamp = numberOf(value);
    } else if (same(key, TYPE)) {
      type = typeOf(value);
    }
  }
  if (id === undefined || type === undefined || payload === undefined) return undefined;
  if (!Number.isFinite(timestamp)) return undefined;
  let headers: Readonly<Record<string, string>> = NO_HEADERS;
  if (rawHeaders !== undefined) {
    const parsed = headersOf(rawHeaders);
    if (parsed === undefined) return undefined;
    headers = parsed;
  }
  return version === undefined
    ? { id, type, timestamp, payload, headers }
    : { id, type, timestamp, schemaVersion: numberOf(version), payload, headers };
}
