const noop = (): void => {};

/**
 * Waits for the last handler call of a batch: armed with the number of calls expected, it
 * resolves when `tick` has been called that many times. Every library's handlers tick the same
 * latch, so "measured to the last handler call" costs all of them alike.
 */
export class Latch {
  #left = 0;
  #resolve: () => void = noop;
  #reject: (error: unknown) => void = noop;

  /**
   * Expects `count` ticks.
   * @param count - how many handler calls end the batch
   * @returns a promise that resolves at the last tick
   */
  arm(count: number): Promise<void> {
    this.#left = count;
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Counts one handler call. */
  readonly tick = (): void => {
    if (--this.#left === 0) this.#resolve();
  };

  /** Rejects the armed promise: a watchdog's way out of a batch whose handlers never ran. */
  fail(error: unknown): void {
    this.#reject(error);
  }

  /** How many calls the armed batch still waits for. */
  get left(): number {
    return this.#left;
  }
}
