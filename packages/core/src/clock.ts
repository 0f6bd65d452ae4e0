/**
 * Event timestamps without a `Date.now()` per event: the clock is read once and reused for up
 * to 64 events published in the same synchronous run, then read again. A run of synchronous
 * publishes takes microseconds, far below the millisecond resolution of a timestamp, and the
 * cached value expires at the next microtask, so events published later always read the clock.
 */
let cached = 0;
let uses = 0;
let expiring = false;

const expire = (): void => {
  uses = 0;
  expiring = false;
};
// A promise reaction is a cheaper microtask than queueMicrotask, which Node routes through
// its async hooks machinery.
const resolved: Promise<void> = Promise.resolve();

/** The current time in milliseconds since the Unix epoch, for event timestamps. */
export function now(): number {
  if (uses > 0) {
    uses--;
    return cached;
  }
  cached = Date.now();
  uses = 63;
  if (!expiring) {
    expiring = true;
    resolved.then(expire);
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
