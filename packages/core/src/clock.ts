/**
 * Event timestamps without a `Date.now()` per event (a read costs about 40 ns in Node): the
 * clock is read once and reused for up to 64 events. The cached value is dropped whenever the
 * bus has called handlers ({@link expireClock}: they may have run long), and at the end of the
 * current macrotask (the next microtask where the host has no `setImmediate`), so an event is
 * never stamped with a time from before a handler that ran in between, nor from an earlier
 * task. A clock that is not the host's own (a test's fake timers, installed before or after
 * this module loads) is read on every event.
 */
let cached = 0;
let uses = 0;
let expiring = false;

const expire = (): void => {
  uses = 0;
  expiring = false;
};
/**
 * `Date.now` as first read (at the first timestamp, not at import, so importing core runs no
 * code): fake timers replace it, and the cache is then bypassed.
 */
let realNow: (() => number) | undefined;
/** False when `Date.now` was already faked when it was first read. */
let nativeClock = false;

function isNative(fn: () => number): boolean {
  return /\[native code\]/.test(Function.prototype.toString.call(fn));
}
/**
 * Runs the expiry after the current macrotask: the host's setImmediate where there is one
 * (one expiry per task, not one per awaited publish), else a microtask (a browser's timers
 * can be throttled to seconds in a background tab).
 */
function afterTask(callback: () => void): void {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(callback);
  else void Promise.resolve().then(callback);
}

/** The current time in milliseconds since the Unix epoch, for event timestamps. */
export function now(): number {
  if (realNow === undefined) {
    realNow = Date.now;
    nativeClock = isNative(realNow);
  }
  if (Date.now !== realNow || !nativeClock) return Date.now();
  if (uses > 0) {
    uses--;
    return cached;
  }
  cached = Date.now();
  uses = 63;
  if (!expiring) {
    expiring = true;
    afterTask(expire);
  }
  return cached;
}

/**
 * Drops the cached time: called after the bus has run handlers, which may have taken long, so
 * that the next event reads the clock.
 */
export function expireClock(): void {
  uses = 0;
}

/** "00" to "ff": made on first use, so that an id costs no number formatting (and import, none). */
let hexes: readonly string[] | undefined;

/** Random bytes fetched per call to `getRandomValues`: one millisecond uses 10 of them. */
const POOL_SIZE = 256;
/** The counter's high part has 18 bits: 4 after the version, 8, then 6 after the variant. */
const HIGH_LIMIT = 0x40000;

/** Fills `bytes` with random bytes. */
type RandomFill = (bytes: Uint8Array) => void;

/**
 * Random bytes where the host has no usable `crypto.getRandomValues` (an old runtime, a
 * sandbox): unique enough for ids, but Math.random is predictable, so ids are not unguessable.
 */
const weakFill: RandomFill = (bytes) => {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
};

/**
 * Fills `pool` from `crypto.getRandomValues` when the host has one that works, else from
 * Math.random, and returns the fill to use from then on. `crypto.randomUUID` is not used: it is
 * missing on pages not served over https, where `getRandomValues` still works.
 */
function firstFill(pool: Uint8Array): RandomFill {
  const crypto = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  const getRandomValues = crypto?.getRandomValues;
  if (typeof getRandomValues === 'function') {
    try {
      const fill: RandomFill = (bytes) => void getRandomValues.call(crypto, bytes);
      fill(pool);
      return fill;
    } catch {
      // A stub or a locked-down host that throws: fall through to the weak fill.
    }
  }
  weakFill(pool);
  return weakFill;
}

/**
 * Event ids, from {@link createIdSource}: called, it returns the next id, for a time in
 * milliseconds (the clock's by default).
 *
 * @internal
 */
export interface IdSource {
  (ms?: number): string;
  /**
   * Takes the next id as a call would, but writes it into `parts` at `at` as two values, the
   * text before its last byte (shared by up to 256 ids) and that byte, for {@link idOf} to join
   * later: a publisher blocked for room holds no string of its own.
   */
  into(ms: number, parts: unknown[], at: number): void;
}

/**
 * Options of {@link createIdSource}.
 *
 * @internal
 */
export interface IdSourceOptions {
  /**
   * How many of the counter's top bits are cleared when it is seeded at a new millisecond (the
   * RFC's counter rollover guard): one millisecond then holds at least 2^(26 - guardBits) ids
   * before the counter runs out. Tests set 0 to run the counter out in a few ids.
   *
   * @default 1
   */
  readonly guardBits?: number;
}

/**
 * Makes event ids that are RFC 9562 UUIDv7: a 48-bit Unix time in milliseconds (the event's
 * timestamp, or a reading of the bus's clock, {@link now}), version 7, variant `10`, then 74
 * bits used as a monotonic counter (section 6.2): the counter's high 18 bits right after the
 * version and the variant, 48 random bits, and the counter's low byte last. Ids from one
 * source are strictly increasing, as strings and as bytes, so they sort by creation and suit
 * uuid database columns and `z.uuid()`.
 *
 * Each new millisecond starts the counter at a random value with its top bit clear (so at least
 * 2^25 ids fit in one millisecond) and draws new random bits; later ids in that millisecond add
 * one to the counter and keep the random bits. If the clock goes back, ids keep the last
 * millisecond and count on; if the counter runs out, ids move on to the next millisecond before
 * the clock does. With the counter's low byte last, an id costs one string concatenation: the
 * part before it is rebuilt only when that byte wraps, and random bytes come from a pool filled
 * 256 bytes at a time.
 *
 * The random bits come from `crypto.getRandomValues`, or from Math.random where the host has
 * none that works; such ids are unique but guessable. Within one millisecond, one source's ids
 * differ only in the counter: they are keys for de-duplication and ordering, not secrets.
 *
 * @param options - {@link IdSourceOptions}; the bus uses the defaults.
 * @returns A function that returns the next id, for a time in milliseconds (the clock's by
 *   default), e.g. `0190a6f2-3b4c-7a1d-8c2e-5f6a7b8c9d0e`.
 * @internal
 */
export function createIdSource({ guardBits = 1 }: IdSourceOptions = {}): IdSource {
  hexes ??= Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  const hex = hexes;
  const pool = new Uint8Array(POOL_SIZE);
  const fill = firstFill(pool);
  /** The counter's high part as seeded: random, with the top `guardBits` bits clear. */
  const seedMask = (HIGH_LIMIT - 1) >>> guardBits;
  let used = 0;
  /** The millisecond of the last id; -Infinity until the first. */
  let last = Number.NEGATIVE_INFINITY;
  /** `tttttttt-tttt-`: the last id's time. */
  let time = '';
  let high = 0;
  let low = 0;
  /** Everything before the counter's last byte. */
  let head = '';
  /** The random bits of this millisecond: one byte after the variant, then `-` and 5 bytes. */
  let random = '';

  const byte = (): number => {
    if (used === POOL_SIZE) {
      fill(pool);
      used = 0;
    }
    return pool[used++] as number;
  };

  // Joined rather than concatenated: `join` makes a flat string, so the ids that share this
  // head or tail are read without walking a tree of concatenations.
  const buildHead = (): void => {
    head = [
      time,
      hex[0x70 | (high >>> 14)],
      hex[(high >>> 6) & 0xff],
      '-',
      hex[0x80 | (high & 0x3f)],
      random,
    ].join('');
  };

  const start = (ms: number): void => {
    last = ms;
    const upper = Math.floor(ms / 0x10000);
    const lower = ms % 0x10000;
    time = `${hex[upper >>> 24]}${hex[(upper >>> 16) & 0xff]}${hex[(upper >>> 8) & 0xff]}${hex[upper & 0xff]}-${hex[lower >>> 8]}${hex[lower & 0xff]}-`;
    high = ((byte() << 16) | (byte() << 8) | byte()) & seedMask;
    low = byte();
    random = [
      hex[byte()],
      '-',
      hex[byte()],
      hex[byte()],
      hex[byte()],
      hex[byte()],
      hex[byte()],
    ].join('');
    buildHead();
  };

  /** The counter's last byte wrapped: carries into the high part, or on to the next millisecond. */
  const carry = (): void => {
    low = 0;
    if (++high === HIGH_LIMIT) start(last + 1);
    else buildHead();
  };

  /** A clock reading later than the last: a new millisecond, unless it is a fraction of the last. */
  const later = (ms: number): void => {
    const whole = ms > 0 ? Math.floor(ms) : 0;
    if (whole > last) start(whole);
    else if (++low === 256) carry();
  };

  const advance = (ms: number): void => {
    if (ms > last) later(ms);
    else if (++low === 256) carry();
  };
  const next = (ms = now()): string => {
    advance(ms);
    return head + (hex[low] as string);
  };
  return Object.assign(next, {
    into(ms: number, parts: unknown[], at: number): void {
      advance(ms);
      parts[at] = head;
      parts[at + 1] = low;
    },
  });
}

/**
 * The id {@link IdSource.into} gave as its parts.
 *
 * @internal
 */
export function idOf(head: string, low: number): string {
  return head + ((hexes as readonly string[])[low] as string);
}
