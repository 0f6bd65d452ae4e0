import { Fifo } from '@gossip/core';

/** One key's messages, handled one after the other. */
interface Lane<T> {
  readonly key: string;
  readonly items: Fifo<T>;
  /** An item of this lane is being handled. */
  running: boolean;
  /** The lane waits in the ready line for a free slot. */
  waiting: boolean;
}

/**
 * Runs a subscription's messages with two bounds transports share: messages of one key (a
 * subject, a stream) one after the other, in the order they were pushed, and at most
 * `concurrency` running at once. Keys take turns: a key with many messages gives up its slot
 * after each one, so the others are not starved. `clear()` and `drain()` are the two halves of
 * closing a subscription: hand back what has not started, then wait for what has.
 *
 * @typeParam T - what a transport queues per message (its broker message and envelope)
 *
 * @example
 * ```ts
 * const lanes = new MessageLanes<JsMsg>((msg) => handle(msg), { concurrency: 8 });
 * lanes.push(msg.subject, msg);
 * // closing:
 * for (const msg of lanes.clear()) msg.nak();
 * await lanes.drain();
 * ```
 */
export class MessageLanes<T> {
  readonly #run: (item: T) => Promise<void>;
  readonly #concurrency: number;
  readonly #onDone: (() => void) | undefined;
  readonly #lanes = new Map<string, Lane<T>>();
  readonly #ready = new Fifo<Lane<T>>();
  #running = 0;
  #queued = 0;
  #idle: Array<() => void> = [];

  /**
   * @param run - handles one item; what it throws or rejects with is ignored (report it inside)
   * @param options - `concurrency`: how many items run at once, across keys (default: no
   * bound); `onDone`: called after each item finished, for a transport that takes more from its
   * broker when there is room
   */
  constructor(
    run: (item: T) => Promise<void>,
    options: { readonly concurrency?: number; readonly onDone?: () => void } = {},
  ) {
    this.#run = run;
    this.#concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
    this.#onDone = options.onDone;
  }

  /** How many items are queued or running. */
  get size(): number {
    return this.#queued + this.#running;
  }

  /** Queues an item behind the others of its key, and starts it when its turn comes. */
  push(key: string, item: T): void {
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { key, items: new Fifo(), running: false, waiting: false };
      this.#lanes.set(key, lane);
    }
    lane.items.push(item);
    this.#queued++;
    if (!lane.running && !lane.waiting) {
      lane.waiting = true;
      this.#ready.push(lane);
    }
    this.#pump();
  }

  /**
   * Takes out every item not started yet, in order per key, and returns them (for the
   * transport to hand back to its broker).
   */
  clear(): T[] {
    const items: T[] = [];
    for (const lane of this.#lanes.values()) {
      items.push(...lane.items.drain());
      lane.waiting = false;
      if (!lane.running) this.#lanes.delete(lane.key);
    }
    this.#queued = 0;
    this.#ready.drain();
    this.#settleIdle();
    return items;
  }

  /** Resolves once nothing runs and nothing is queued. */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const lane = this.#ready.shift();
      if (lane === undefined) return;
      lane.waiting = false;
      const item = lane.items.shift();
      if (item === undefined) continue;
      this.#queued--;
      this.#running++;
      lane.running = true;
      const done = (): void => this.#done(lane);
      let running: Promise<void>;
      try {
        running = this.#run(item);
      } catch {
        running = Promise.resolve();
      }
      running.then(done, done);
    }
  }

  #done(lane: Lane<T>): void {
    this.#running--;
    lane.running = false;
    if (lane.items.size > 0) {
      lane.waiting = true;
      this.#ready.push(lane);
    } else {
      this.#lanes.delete(lane.key);
    }
    this.#pump();
    this.#settleIdle();
    this.#onDone?.();
  }

  #settleIdle(): void {
    if (this.size > 0 || this.#idle.length === 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}
