import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../src/index.js';

const textOf = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('jsonCodec', () => {
  it('encodes JSON as UTF-8 and decodes it back', () => {
    const data = { name: 'Zoë', note: '€ 5 😀', list: [1, null, true] };
    const bytes = jsonCodec.encode(data);
    expect(textOf(bytes)).toBe(JSON.stringify(data));
    expect(jsonCodec.decode(bytes)).toEqual(data);
  });

  it('encodes undefined as no bytes, and no bytes as undefined', () => {
    expect(jsonCodec.encode(undefined).length).toBe(0);
    expect(jsonCodec.decode(new Uint8Array(0))).toBeUndefined();
  });

  it('gives every payload bytes of its own that later encodes do not change', () => {
    // Thousands of short payloads fill several shared slabs; each view keeps its bytes.
    const encoded = Array.from({ length: 5000 }, (_, i) =>
      jsonCodec.encode({ i, s: 'é'.repeat(i % 50) }),
    );
    encoded.forEach((bytes, i) => {
      expect(jsonCodec.decode(bytes)).toEqual({ i, s: 'é'.repeat(i % 50) });
    });
  });

  it('encodes long texts and lone surrogates whole', () => {
    const long = { text: '€'.repeat(5000) };
    expect(jsonCodec.decode(jsonCodec.encode(long))).toEqual(long);
    // JSON.stringify escapes a lone surrogate, so it survives the trip as the same string.
    const lone = { text: 'a\uD800b' };
    expect(jsonCodec.decode(jsonCodec.encode(lone))).toEqual(lone);
    const nearSlabEnd = Array.from({ length: 200 }, (_, i) => ({ t: '😀'.repeat(i) }));
    for (const data of nearSlabEnd) expect(jsonCodec.decode(jsonCodec.encode(data))).toEqual(data);
  });

  it('throws for a value JSON cannot encode, and for bytes that are not JSON', () => {
    expect(() => jsonCodec.encode({ n: 1n })).toThrow(TypeError);
    expect(() => jsonCodec.decode(new TextEncoder().encode('{nope'))).toThrow(SyntaxError);
  });
});
