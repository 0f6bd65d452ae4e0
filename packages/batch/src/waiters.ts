import { type AnyEvent, Fifo, onAbort } from '@gossip/core';

/** A handler call waiting for room, holding its bus worker. */
interface Waiter<TEvent extends AnyEvent> {
  readonly event: TEvent;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  /** Stops watching the handler call's signal. */
  readonly forget: () => void;
}

/**
 * The handler calls of a full batch processor, waiting for room in the order they came; each
 * gives up with the reason of its signal if that aborts first.
 */
export class Waiters<TEvent extends AnyEvent> {
  readonly #queue = new Fifo<Waiter<TEvent>>();

  /** How many handler calls wait. */
  get size(): number {
    return this.#queue.size;
  }

  /** Waits for room for `event`: the promise resolves once {@link Waiters.shift} lets it in. */
  wait(event: TEvent, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry = this.#queue.push({
        event,
        resolve,
        reject,
        forget:
          signal === undefined
            ? () => {}
            : onAbort(signal, () => {
                this.#queue.delete(entry);
                reject(signal.reason);
              }),
      });
    });
  }

  /** The first waiting call, its signal no longer watched; undefined if none waits. */
  shift(): Pick<Waiter<TEvent>, 'event' | 'resolve'> | undefined {
    const waiter = this.#queue.shift();
    waiter?.forget();
    return waiter;
  }

  /** Refuses every waiting call, in order, with the error `refusal` makes for its event. */
  refuse(refusal: (event: TEvent) => unknown): void {
    for (const waiter of this.#queue.drain()) {
      waiter.forget();
      waiter.reject(refusal(waiter.event));
    }
  }
}
