import type { Codec } from './envelope.js';

// Made on first use and kept: one of each per process, not one per message.
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

/** The size of a slab that short texts are encoded into, one after the other. */
const SLAB_BYTES = 16 * 1024;
/** Texts longer than this (in UTF-16 units) are encoded into bytes of their own. */
const POOLED_LENGTH = 1024;
/** The slab short texts are encoded into now, and how much of it is taken. */
let slab: Uint8Array | undefined;
let taken = 0;

/**
 * A text's UTF-8 bytes. A short text's bytes are a view of a shared slab, as Node's
 * `Buffer.from(text)` is of its pool: `TextEncoder.encode` makes an ArrayBuffer per call, and
 * a bridge keeps every payload alive until the broker's ack, which made each garbage
 * collection copy and sweep one ArrayBuffer per event in flight. A slab is written once, front
 * to back, never again: the bytes of a view do not change. So `bytes.buffer` of a short text is
 * the slab, not the text alone; read the view's own range (`byteOffset`, `byteLength`).
 */
function utf8(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  if (text.length > POOLED_LENGTH) return encoder.encode(text);
  // At most 3 bytes per UTF-16 unit: a surrogate pair (2 units) takes 4 bytes, a lone
  // surrogate is written as U+FFFD (3 bytes).
  if (slab === undefined || SLAB_BYTES - taken < text.length * 3) {
    slab = new Uint8Array(SLAB_BYTES);
    taken = 0;
  }
  const start = taken;
  const { written } = encoder.encodeInto(text, slab.subarray(start));
  taken += written;
  return slab.subarray(start, taken);
}

/**
 * The default codec: JSON in UTF-8. `undefined` (an event without data) is encoded as zero
 * bytes and decoded back to `undefined`. A short payload's bytes are a view of a buffer shared
 * with others (see `Envelope.payload`).
 *
 * @example
 * ```ts
 * bridge(bus, transport, { publish: ['order.**'], codec: jsonCodec });
 * ```
 */
export const jsonCodec: Codec = {
  contentType: 'application/json',
  encode(data: unknown): Uint8Array {
    if (data === undefined) return new Uint8Array(0);
    return utf8(JSON.stringify(data));
  },
  decode(bytes: Uint8Array): unknown {
    if (bytes.length === 0) return undefined;
    decoder ??= new TextDecoder();
    return JSON.parse(decoder.decode(bytes)) as unknown;
  },
};
