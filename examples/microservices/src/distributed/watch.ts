/**
 * `Watch` lets the launcher wait on what the services say: each wait is a condition checked
 * again on every message, and one failure (a service died, the deadline passed, Ctrl-C) ends
 * every wait at once.
 */
export class Watch {
  readonly #tests = new Set<() => void>();
  #failure: Error | undefined;
  /** What the current wait is for, and what it still misses: for the timeout's message. */
  waitingFor: { what: string; missing: () => string } | undefined;

  /** Re-checks every wait; called on each message. */
  changed(): void {
    for (const test of [...this.#tests]) test();
  }

  fail(error: Error): void {
    this.#failure ??= error;
    this.changed();
  }

  /** Resolves when `check` holds; rejects when the run fails first. */
  until(what: string, check: () => boolean, missing: () => string = () => ''): Promise<void> {
    this.waitingFor = { what, missing };
    return new Promise((resolve, reject) => {
      const test = (): void => {
        if (this.#failure !== undefined) {
          this.#tests.delete(test);
          reject(this.#failure);
        } else if (check()) {
          this.#tests.delete(test);
          resolve();
        }
      };
      this.#tests.add(test);
      test();
    });
  }

  /** Awaits `promise`, or rejects when the run fails first. */
  async race<T>(what: string, promise: Promise<T>): Promise<T> {
    let outcome: PromiseSettledResult<T> | undefined;
    promise.then(
      (value) => {
        outcome = { status: 'fulfilled', value };
        this.changed();
      },
      (reason: unknown) => {
        outcome = { status: 'rejected', reason };
        this.changed();
      },
    );
    await this.until(what, () => outcome !== undefined);
    if (outcome?.status !== 'fulfilled') throw outcome?.reason;
    return outcome.value;
  }
}
