/**
 * @internal The background work of a subscription: tasks run every so often, one run at a
 * time; waits that end early when woken; and the tasks still running, for close to await.
 * Nothing is scheduled once `stop()` was called.
 */
export class Background {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #wakers = new Set<() => void>();
  readonly #tasks = new Set<Promise<void>>();
  #stopped = false;

  /**
   * Runs `task` every `ms`, the next run `ms` after the last ended, until stopped; a failure
   * goes to `onError` and the runs go on.
   */
  every(ms: number, task: () => Promise<void>, onError: (error: unknown) => void): void {
    const schedule = (): void => {
      this.after(ms, () => {
        const run = task().catch(onError);
        this.track(run.then(schedule));
      });
    };
    schedule();
  }

  /** Calls `callback` after `ms`, unless stopped before. */
  after(ms: number, callback: () => void): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
  }

  /** Keeps a running task, for `settled()`. */
  track(task: Promise<void>): void {
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  /** Waits `ms`, or less if woken (`wakeAll`) or stopped. */
  wait(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#timers.add(timer);
      this.#wakers.add(done);
    });
  }

  /** Ends every wait at once. */
  wakeAll(): void {
    for (const wake of this.#wakers) wake();
  }

  /** Clears every timer (scheduled runs, delayed callbacks) and ends the waits. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.wakeAll();
  }

  /** Resolves once the tasks running now have ended. */
  async settled(): Promise<void> {
    await Promise.all(this.#tasks);
  }
}
