import type { JsMsg } from '@nats-io/jetstream';

/**
 * A message's headers as one flat list of keys and values (`[key, value, key, value, ...]`),
 * in the order they came, values trimmed; a key may come more than once.
 *
 * @internal
 */
export type HeaderPairs = readonly string[];

const NO_PAIRS: HeaderPairs = Object.freeze([]);

let decoder: TextDecoder | undefined;

/**
 * Reads the headers of a received message into {@link HeaderPairs}.
 *
 * The client's `msg.headers` builds a headers object whose every `append` lists the keys so far,
 * checks the name character by character and the value with a regular expression: about a
 * microsecond for gossip's four headers, 13 % of a bridge's consume path (bench, NATS consume
 * with ack). Where the client keeps the message's bytes where nats.js 3.3 keeps them (the
 * `Msg` inside a `JsMsg`, its `_rdata` and the header length `_msg.hdr`), the header block is
 * read from them in one pass, with the client's checks; a client that keeps them elsewhere gets
 * `msg.headers`, so an upgrade can only make this slower, never wrong.
 *
 * @internal
 * @param msg - a message of a pull consumer
 * @returns its headers, first to last
 * @throws Error for a header the client refuses too (a name with a space, a value with a CR)
 * @example
 * ```ts
 * const pairs = headerPairsOf(msg); // ['Nats-Msg-Id', 'e1', 'Gossip-Timestamp', '1700000000000', ...]
 * ```
 */
export function headerPairsOf(msg: JsMsg): HeaderPairs {
  const block = headerBlockOf(msg);
  if (block === undefined) return pairsOf(msg.headers);
  if (block === null) return NO_PAIRS;
  decoder ??= new TextDecoder();
  return parseBlock(decoder.decode(block));
}

/**
 * The header block's bytes as the client keeps them: `null` for a message without headers,
 * `undefined` where the client does not keep them where nats.js 3.3 does.
 *
 * @internal
 */
export function headerBlockOf(msg: JsMsg): Uint8Array | null | undefined {
  const inner: unknown = (msg as { msg?: unknown }).msg;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const { _rdata: bytes, _msg: arg } = inner as { _rdata?: unknown; _msg?: unknown };
  if (!(bytes instanceof Uint8Array) || typeof arg !== 'object' || arg === null) return undefined;
  const { hdr } = arg as { hdr?: unknown };
  if (typeof hdr !== 'number' || !Number.isInteger(hdr) || hdr > bytes.length) return undefined;
  return hdr > 0 ? bytes.subarray(0, hdr) : null;
}

/**
 * Parses a header block (`NATS/1.0[ status]\r\nKey: value\r\n...\r\n\r\n`) as the client does:
 * the first line is the status, each later line with a colon is a key and its trimmed value.
 * What the client refuses is refused the same way: a key with a character outside `!` to `~`,
 * a value holding a lone CR or LF.
 */
function parseBlock(text: string): HeaderPairs {
  const pairs: string[] = [];
  let end = text.indexOf('\r\n');
  while (end !== -1) {
    const start = end + 2;
    end = text.indexOf('\r\n', start);
    // The colon is looked for within the line: searched for in the rest of the block, a block
    // of many lines without one would be read again for each of them.
    const line = text.slice(start, end === -1 ? text.length : end);
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    checkKey(key);
    if (value.includes('\r') || value.includes('\n')) {
      throw new Error(`NATS header "${key}": values cannot contain \\r or \\n`);
    }
    pairs.push(key, value);
  }
  return pairs;
}

/** Throws for a header name the client refuses (canonicalMIMEHeaderKey's check). */
function checkKey(key: string): void {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new Error(
        `NATS header "${key}": '${key[i]}' is not a valid character in a header name`,
      );
    }
  }
}

/** The pairs of a client's headers object, for messages read through `msg.headers`. */
export function pairsOf(headers: Iterable<[string, string[]]> | undefined): HeaderPairs {
  if (headers === undefined) return NO_PAIRS;
  const pairs: string[] = [];
  for (const [key, values] of headers) for (const value of values) pairs.push(key, value);
  return pairs;
}
