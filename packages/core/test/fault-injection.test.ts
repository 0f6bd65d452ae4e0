import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus, type EventBusOptions, type OverflowPolicy } from '../src/index.js';

/** A small seeded generator (mulberry32), so that a failing scenario can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Behaviour = 'ok' | 'throw' | 'reject' | 'slow' | 'hang' | 'hostile';

const POLICIES: OverflowPolicy[] = ['block', 'reject', 'drop-oldest', 'drop-newest'];
const BEHAVIOURS: Behaviour[] = [
  'ok',
  'ok',
  'ok',
  'throw',
  'reject',
  'slow',
  'slow',
  'hang',
  'hostile',
];

/** publishSync's ways of running: all at once or in sequence, with a deadline or without. */
const SYNC_OPTIONS = [
  undefined,
  { timeout: 5 },
  { sequential: true },
  { sequential: true, timeout: 3 },
] as const;

function revoked(): unknown {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fault injection: random workloads keep the promise', () => {
  // Each seed is one scenario: a random bus, random subscriptions with random failure modes,
  // a random mix of publish, publishSync and receive, then a shutdown with a deadline.
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'scenario %i: every delivery is delivered, failed, dropped or reported undelivered, once',
    async (seed) => {
      vi.useFakeTimers();
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      const errors: unknown[] = [];
      const options: EventBusOptions = {
        workers: 1 + Math.floor(next() * 4),
        bufferSize: 1 + Math.floor(next() * 20),
        overflow: pick(POLICIES),
        onError: (error) => void errors.push(error),
      };
      const bus = createEventBus<{ job: { n: number } }>(options);
      const subscriptions = 1 + Math.floor(next() * 3);
      const calls = new Map<string, number>();
      for (let s = 0; s < subscriptions; s++) {
        const behaviour = pick(BEHAVIOURS);
        const keyed = next() < 0.4;
        bus.subscribe(
          'job',
          async (event) => {
            const key = `${String(s)}:${String(event.data.n)}:${event.id}`;
            calls.set(key, (calls.get(key) ?? 0) + 1);
            switch (behaviour) {
              case 'throw':
                throw new Error(`boom ${String(event.data.n)}`);
              case 'reject':
                await Promise.resolve();
                throw new Error('late boom');
              case 'slow':
                await new Promise((resolve) => setTimeout(resolve, 1 + (event.data.n % 7)));
                return;
              case 'hang':
                if (event.data.n % 3 === 0) await new Promise(() => {});
                return;
              case 'hostile':
                if (event.data.n % 2 === 0) throw revoked();
                return;
              default:
                return;
            }
          },
          keyed
            ? { name: `s${String(s)}`, orderingKey: (event) => event.data.n % 3 }
            : { name: `s${String(s)}` },
        );
      }
      let accepted = 0;
      let refused = 0;
      const syncRuns: Promise<unknown>[] = [];
      const settled: Promise<unknown>[] = [];
      const events = 20 + Math.floor(next() * 80);
      for (let n = 0; n < events; n++) {
        const how = next();
        if (how < 0.7) {
          settled.push(
            bus.publish('job', { n }).then(
              () => accepted++,
              () => refused++,
            ),
          );
        } else if (how < 0.85) {
          accepted++;
          syncRuns.push(bus.publishSync('job', { n }, pick(SYNC_OPTIONS)));
        } else {
          // A received event is validated asynchronously: the shutdown may refuse it first.
          settled.push(
            bus.receive({ type: 'job', data: { n } }).then(
              () => accepted++,
              () => refused++,
            ),
          );
        }
        if (next() < 0.2) await vi.advanceTimersByTimeAsync(1);
      }
      const shutdown = bus.shutdown({ timeout: 50 });
      await vi.advanceTimersByTimeAsync(60);
      const report = await shutdown;
      await Promise.all(settled);
      await Promise.all(syncRuns);

      // No handler ran twice for one delivery.
      for (const count of calls.values()) expect(count).toBe(1);
      // Refused publishes are not counted; blocked ones refused at the deadline were counted.
      expect(report.published).toBeGreaterThanOrEqual(accepted);
      expect(report.published).toBeLessThanOrEqual(accepted + refused);
      // One outcome per delivery: every subscription takes every event.
      const outcomes =
        report.delivered +
        report.failed +
        report.dropped * subscriptions +
        report.undelivered.length;
      expect(outcomes).toBe(report.published * subscriptions);
      // Nothing is counted after the report.
      await vi.advanceTimersByTimeAsync(100);
      const after = bus.stats();
      expect([after.delivered, after.failed, after.dropped]).toEqual([
        report.delivered,
        report.failed,
        report.dropped,
      ]);
      expect(errors.length).toBeLessThanOrEqual(report.failed);
    },
  );
});

describe('fault injection: streams and once waits ended by clear() keep the promise', () => {
  // Each seed: streams read by consumers of random pace, async middleware of random delay, and
  // clear() at random moments while events are published. Every delivery the bus counts as
  // delivered was read from a stream or resolved a once; one that reached either after it
  // ended is counted failed, never delivered and lost.
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))(
    'scenario %i: events read plus onces resolved equal deliveries counted',
    async (seed) => {
      vi.useFakeTimers();
      const next = random(seed);
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // One worker: a once takes no second event concurrently (a delivery that finds it
      // resolved counts as delivered, as a handler that ignores an event).
      const workers = next() < 0.5 ? 1 : 3;
      const bus = createEventBus<{ s: number; t: number }>({ workers, onError: () => {} });
      bus.use((nextHandler) => async (event, ctx) => {
        if (next() < 0.7) await wait(Math.floor(next() * 3));
        return nextHandler(event, ctx);
      });
      const streams = [0, 1].map(() => bus.stream('s', { bufferSize: 1 + Math.floor(next() * 3) }));
      const reads = streams.map(async (stream) => {
        let read = 0;
        for await (const _event of stream) {
          read++;
          if (next() < 0.3) await wait(1);
        }
        return read;
      });
      const onces = workers === 1 ? [0, 1, 2].map(() => bus.once(['s', 't'])) : [];
      const outcomes = onces.map((once) =>
        once.then(
          () => 'resolved',
          (error: unknown) => (error as Error).name,
        ),
      );
      for (let n = 0; n < 10; n++) {
        const published = next() < 0.8 ? bus.publish('s', n) : bus.publish('t', n);
        published.catch(() => {});
        if (next() < 0.15) bus.clear();
        if (next() < 0.5) await vi.advanceTimersByTimeAsync(1);
      }
      bus.clear();
      const shutdown = bus.shutdown({ timeout: 500 });
      await vi.advanceTimersByTimeAsync(600);
      const report = await shutdown;
      const read = (await Promise.all(reads)).reduce((sum, count) => sum + count, 0);
      const settled = await Promise.all(outcomes);
      expect(report.complete).toBe(true);
      expect(settled.every((outcome) => outcome === 'resolved' || outcome === 'AbortError')).toBe(
        true,
      );
      const resolved = settled.filter((outcome) => outcome === 'resolved').length;
      expect(read + resolved).toBe(report.delivered);
    },
  );
});
