/**
 * A place in a {@link Fifo}, returned by `push`, to take that value out again with `delete`.
 *
 *
 * @example
 * ```ts
 * const entry: FifoEntry<Waiter> = waiters.push(waiter);
 * ```
 */
export interface FifoEntry<T> {
  readonly value: T;
}

interface Node<T> extends FifoEntry<T> {
  previous: Node<T> | undefined;
  next: Node<T> | undefined;
  /** The queue holding the node; undefined once it has left it. */
  owner: Fifo<T> | undefined;
}

/**
 * A first-in, first-out queue, O(1) per operation at any length: `push` at the back, `shift`
 * from the front, and `delete` from anywhere, as a waiter whose signal aborts must leave the
 * middle of the line. A doubly linked list rather than an array: `Array.prototype.shift` and
 * `indexOf` + `splice` copy or scan the whole array, which turns a long line into quadratic
 * work, and a head index with holes would keep the memory of every waiter that left early.
 * Exported for packages beside core (middleware and batch keep their waiters in one).
 *
 * @typeParam T - the values queued
 *
 * @example
 * ```ts
 * const line = new Fifo<string>();
 * const entry = line.push('a');
 * line.push('b');
 * line.delete(entry);
 * line.shift(); // 'b'
 * ```
 */
export class Fifo<T> {
  #first: Node<T> | undefined;
  #last: Node<T> | undefined;
  #size = 0;

  /**
   * How many values are queued.
   *
   * @example
   * ```ts
   * if (line.size === 0) stopTimer();
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * Queues a value at the back.
   *
   * @param value - the value to queue
   * @returns its entry, for {@link Fifo.delete}
   *
   * @example
   * ```ts
   * const entry = line.push(waiter);
   * ```
   */
  push(value: T): FifoEntry<T> {
    const node: Node<T> = { value, previous: this.#last, next: undefined, owner: this };
    if (this.#last === undefined) this.#first = node;
    else this.#last.next = node;
    this.#last = node;
    this.#size++;
    return node;
  }

  /**
   * Takes the value at the front out.
   *
   * @returns the value, or undefined when the queue is empty
   *
   * @example
   * ```ts
   * const next = line.shift();
   * ```
   */
  shift(): T | undefined {
    const node = this.#first;
    if (node === undefined) return undefined;
    this.#unlink(node);
    return node.value;
  }

  /**
   * Takes a queued value out, wherever it is.
   *
   * @param entry - what `push` returned for it
   * @returns true if it was queued here, false if it had already left
   *
   * @example
   * ```ts
   * line.delete(entry); // the waiter gave up
   * ```
   */
  delete(entry: FifoEntry<T>): boolean {
    const node = entry as Node<T>;
    if (node.owner !== this) return false;
    this.#unlink(node);
    return true;
  }

  /**
   * Takes every value out, front first.
   *
   * @returns the values, in queue order
   *
   * @example
   * ```ts
   * for (const waiter of line.drain()) waiter.reject(reason);
   * ```
   */
  drain(): T[] {
    const values: T[] = [];
    for (let node = this.#first; node !== undefined; node = this.#first) {
      this.#unlink(node);
      values.push(node.value);
    }
    return values;
  }

  #unlink(node: Node<T>): void {
    if (node.previous === undefined) this.#first = node.next;
    else node.previous.next = node.next;
    if (node.next === undefined) this.#last = node.previous;
    else node.next.previous = node.previous;
    node.previous = undefined;
    node.next = undefined;
    node.owner = undefined;
    this.#size--;
  }
}
