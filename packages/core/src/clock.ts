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
/** `Date.now` as loaded: fake timers replace it, and the cache is then bypassed. */
const realNow = Date.now;
/** False when `Date.now` was already faked when this module loaded. */
const nativeClock = /\[native code\]/.test(Function.prototype.toString.call(realNow));
const resolved: Promise<void> = Promise.resolve();
/**
 * Runs the expiry after the current macrotask: the host's setImmediate where there is one
 * (one expiry per task, not one per awaited publish), else a microtask (a browser's timers
 * can be throttled to seconds in a background tab).
 */
const afterTask: (callback: () => void) => unknown =
  typeof globalThis.setImmediate === 'function'
    ? globalThis.setImmediate
    : (callback) => resolved.then(callback);

/** The current time in milliseconds since the Unix epoch, for event timestamps. */
export function now(): number {
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

/** "000" to "999": the last part of an id, made once so that an id costs no number formatting. */
let suffixes: string[] | undefined;

/**
 * Makes unique event ids: a random prefix per bus, a block number and a three-digit counter
 * (`3f2a9c1e-77d0-4b1a-12-042`), so an id costs one string concatenation, not a UUID or a
 * number formatted per event, and stays unique across processes (it is a broker's
 * de-duplication key).
 */
export function createIdSource(): () => string {
  const prefix = `${globalThis.crypto.randomUUID().slice(0, 18)}-`;
  suffixes ??= Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
  const digits = suffixes;
  let block = -1;
  let head = '';
  let next = 1000;
  return () => {
    if (next === 1000) {
      next = 0;
      block++;
      head = `${prefix}${block}-`;
    }
    return head + (digits[next++] as string);
  };
}
