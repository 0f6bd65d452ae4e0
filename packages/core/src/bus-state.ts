/**
 * Where a bus is in its life, one value for all of it:
 * - `open`: it accepts publishes, subscriptions and received events;
 * - `draining`: `shutdown()` was called; it refuses anything new from outside, while events
 *   published by running handlers (`ctx.publish`) are still accepted so their chains finish;
 * - `finished`: shutdown resolved (everything handled, or the deadline passed); nothing is
 *   accepted any more.
 *
 * The only transitions are `open -> draining -> finished`.
 */
export type BusState = 'open' | 'draining' | 'finished';

const NEXT: Readonly<Record<BusState, BusState | undefined>> = {
  open: 'draining',
  draining: 'finished',
  finished: undefined,
};

/** The bus's state and its one transition function. */
export class BusLife {
  #state: BusState = 'open';

  get state(): BusState {
    return this.#state;
  }

  /** True once shutdown has started: nothing new is accepted from outside. */
  get closed(): boolean {
    return this.#state !== 'open';
  }

  /** True once shutdown has finished: nothing is accepted, not even from handlers. */
  get finished(): boolean {
    return this.#state === 'finished';
  }

  /** Moves to the next state; anything but the next one is a bug in the bus. */
  advance(to: BusState): void {
    if (NEXT[this.#state] !== to) throw new Error(`gossip: bus state ${this.#state} -> ${to}`);
    this.#state = to;
  }
}
