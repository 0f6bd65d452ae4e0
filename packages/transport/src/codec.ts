import type { Codec } from './envelope.js';

// Made on first use and kept: one of each per process, not one per message.
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

/**
 * The default codec: JSON in UTF-8. `undefined` (an event without data) is encoded as zero
 * bytes and decoded back to `undefined`.
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
    encoder ??= new TextEncoder();
    return encoder.encode(JSON.stringify(data));
  },
  decode(bytes: Uint8Array): unknown {
    if (bytes.length === 0) return undefined;
    decoder ??= new TextDecoder();
    return JSON.parse(decoder.decode(bytes)) as unknown;
  },
};
