import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { median } from '../stats.js';

/** Per-message latencies of one run, in milliseconds. */
export class Latencies {
  readonly #values: Float64Array;
  #size = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.#size < this.#values.length) this.#values[this.#size++] = ms;
  }

  get size(): number {
    return this.#size;
  }

  /** The `p`-th percentile (0..100), nearest rank. */
  percentile(p: number): number {
    if (this.#size === 0) return Number.NaN;
    const sorted = this.#values.slice(0, this.#size).sort();
    const rank = Math.min(this.#size - 1, Math.max(0, Math.ceil((p / 100) * this.#size) - 1));
    return sorted[rank] ?? Number.NaN;
  }
}

/** One side's run of one scenario. */
export interface Sample {
  /** Messages per second, from the first message to the last ack. */
  readonly rate: number;
  /** CPU time of this process (user + system) per message, in microseconds. */
  readonly cpuPerMessage: number;
  /** Latency percentiles in milliseconds (see the scenario for what is timed). */
  readonly p50: number;
  readonly p99: number;
}

/**
 * Where a side's timed work began, when not at the call of `run`: a side that must set up
 * inside `run` (a bridge subscribes there, since a subscription starts reading at once) says
 * when it was ready, so that both sides are timed from their first read to their last ack.
 */
export interface Started {
  /** `performance.now()` once ready. */
  readonly at: number;
  /** `process.cpuUsage()` once ready. */
  readonly cpu: NodeJS.CpuUsage;
}

/** Where a side is ready to read: now. */
export function startedNow(): Started {
  return { at: performance.now(), cpu: process.cpuUsage() };
}

/**
 * A side of a scenario, set up and ready: `run` does the timed work and resolves once every
 * message is done (with when it began, if it set up first; see {@link Started}); `teardown`
 * (not timed) releases what `setup` made.
 */
export interface Prepared {
  run(latencies: Latencies): Promise<Started | undefined>;
  teardown(): Promise<void>;
}

/**
 * Times a prepared side over `count` messages. With BRIDGE_BENCH_PROFILE set to a folder, the
 * timed part (setup and teardown left out) is CPU-profiled into `<folder>/<label>.cpuprofile`.
 */
export async function measure(count: number, prepared: Prepared, label = 'run'): Promise<Sample> {
  const latencies = new Latencies(count);
  const profileDir = process.env.BRIDGE_BENCH_PROFILE;
  const session = profileDir === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  let seconds: number;
  let used: NodeJS.CpuUsage;
  try {
    const started = await prepared.run(latencies);
    seconds = (performance.now() - (started?.at ?? start)) / 1000;
    used = process.cpuUsage(started?.cpu ?? cpu);
    if (session !== undefined && profileDir !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(profileDir, `${label}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    }
  } finally {
    await prepared.teardown();
  }
  return {
    rate: count / seconds,
    cpuPerMessage: (used.user + used.system) / count,
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
  };
}

/** The medians of a side's samples, field by field. */
export function medianSample(samples: readonly Sample[]): Sample {
  return {
    rate: median(samples.map((sample) => sample.rate)),
    cpuPerMessage: median(samples.map((sample) => sample.cpuPerMessage)),
    p50: median(samples.map((sample) => sample.p50)),
    p99: median(samples.map((sample) => sample.p99)),
  };
}

/** `promise`, or a failure naming `what` after `timeoutMs`: every wait of the bench is bounded. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not done within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The time of the current turn of the event loop, until it ends (see {@link turnNow}). */
let turnTime: number | undefined;

/**
 * `performance.now()`, read once per turn of the event loop: where every side's latencies
 * start (a publish's call, a consumed message's hand-over), and where a publish's ack is
 * timed. A clock read costs about 60 ns; read per message on one side and per batch on the
 * other (as the raw Redis loop times its pipelines), it was a cost of the bench, not of the
 * side. The messages of one turn (a publish window, a read's batch) share its time; a consumed
 * message's ack, sub-millisecond, is still read from the clock itself.
 */
export function turnNow(): number {
  if (turnTime === undefined) {
    turnTime = performance.now();
    setImmediate(() => {
      turnTime = undefined;
    });
  }
  return turnTime;
}
