/**
 * A first-in first-out queue at constant cost per operation, at any length: an array read from
 * a moving head, compacted once half of it is spent (`Array.prototype.shift` moves every item,
 * which makes a long queue quadratic). An emptied queue starts again at index 0 of the same
 * array, so a burst does not grow a new one.
 *
 * @internal
 */
export class Queue<T> {
  #items: Array<T | undefined> = [];
  #head = 0;
  /** How many items are queued: a plain field, read on hot paths. */
  size = 0;

  push(item: T): void {
    this.#items[this.#head + this.size++] = item;
  }

  /** Removes and returns the first item, or undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (--this.size === 0) {
      this.#head = 0;
      // Keep the array for the next burst, unless an unusual one left it large.
      if (this.#items.length > 4096) this.#items = [];
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head, this.#head + this.size);
      this.#head = 0;
    }
    return item;
  }

  /** The first item, left in place. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes and returns every item, first first. */
  drain(): T[] {
    const rest = this.#items.slice(this.#head, this.#head + this.size) as T[];
    this.#items = [];
    this.#head = 0;
    this.size = 0;
    return rest;
  }
}
