/**
 * Event timestamps without a `Date.now()` per event (a read costs about 40 ns in Node): the
 * clock is read once and reused for up to 64 events published in the same macrotask, then read
 * again. Timestamps have millisecond resolution and a burst of publishes (queued, or awaited
 * one after another) takes microseconds; the cached value expires when the host next runs its
 * timers and I/O, so events published later always read the clock. A clock faked after load
 * (a test's fake timers) is read on every event.
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
/**
 * Runs the expiry after the current macrotask: the host's setImmediate where there is one,
 * taken at load so that fake timers cannot hold it back, else a zero-delay timer.
 */
const afterTask: (callback: () => void) => unknown =
  typeof globalThis.setImmediate === 'function' ? globalThis.setImmediate : setTimeout;

/** The current time in milliseconds since the Unix epoch, for event timestamps. */
export function now(): number {
  if (Date.now !== realNow) return Date.now();
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
