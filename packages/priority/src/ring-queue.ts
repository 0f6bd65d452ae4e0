/**
 * A first-in-first-out queue on a ring buffer: `push`, `shift` and `peek` cost O(1) at any
 * length (`push` amortised: the ring doubles when full), where `Array.prototype.shift` costs
 * O(n). One holds each priority level of a {@link PriorityQueue}.
 *
 * @internal Not exported from the package: a building block of the priority queue.
 * @typeParam T - what the queue holds
 *
 * @example
 * ```ts
 * const fifo = new RingQueue<string>();
 * fifo.push('a');
 * fifo.push('b');
 * fifo.shift(); // 'a'
 * ```
 */
export class RingQueue<T> {
  /** The ring; its length is always a power of two, so an index wraps with a mask. */
  #slots: Array<T | undefined> = new Array<T | undefined>(4);
  #head = 0;
  #size = 0;

  /**
   * How many items are queued.
   *
   * @example
   * ```ts
   * if (fifo.size === 0) return;
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds an item at the back.
   *
   * @param item - the item
   *
   * @example
   * ```ts
   * fifo.push('c');
   * ```
   */
  push(item: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#size) & (this.#slots.length - 1)] = item;
    this.#size++;
  }

  /**
   * Removes and returns the item at the front.
   *
   * @returns the oldest item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * const next = fifo.shift();
   * ```
   */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#slots[this.#head];
    // Let go of the item, so that the ring does not keep it alive.
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#slots.length - 1);
    this.#size--;
    return item;
  }

  /**
   * Returns the item `shift` would return, without removing it.
   *
   * @returns the oldest item, or `undefined` if the queue is empty
   *
   * @example
   * ```ts
   * const next = fifo.peek();
   * ```
   */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#slots[this.#head];
  }

  /** Moves the items, oldest first, to the start of a ring twice as long. */
  #grow(): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const grown = new Array<T | undefined>(slots.length * 2);
    for (let i = 0; i < this.#size; i++) grown[i] = slots[(this.#head + i) & mask];
    this.#slots = grown;
    this.#head = 0;
  }
}
