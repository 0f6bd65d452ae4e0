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

/**
 * Makes unique event ids: a random prefix per bus and a counter, so an id costs a string
 * concatenation, not a UUID, and stays unique across processes (it is a broker's
 * de-duplication key).
 */
export function createIdSource(): () => string {
  const prefix = `${globalThis.crypto.randomUUID().slice(0, 18)}-`;
  let sequence = 0;
  return () => prefix + ++sequence;
}
