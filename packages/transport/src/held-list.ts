/**
 * A place in a {@link HeldList}: what `add` returns and `delete` takes.
 *
 * @example
 * ```ts
 * const link: HeldLink<JsMsg> = held.add(msg);
 * link.item === msg; // true
 * ```
 */
export interface HeldLink<T> {
  /** The item added. */
  readonly item: T;
}

class Link<T> implements HeldLink<T> {
  prev: Link<T> | undefined;
  next: Link<T> | undefined;
  /** The list the link is in; undefined once deleted or cleared. */
  list: HeldList<T> | undefined;

  constructor(
    readonly item: T,
    list: HeldList<T>,
    prev: Link<T> | undefined,
  ) {
    this.list = list;
    this.prev = prev;
  }
}

/**
 * The messages a consumer holds (handed over and not yet settled), for transport authors: add
 * and delete in constant time, iteration in the order added. A `Set` does the same but hashes
 * each new object it is given; on a bridge's path, where every message is added once and
 * deleted once, a Set of them cost about 2 µs per message (measured with a stub transport,
 * bench/), this list nothing measurable.
 *
 * @typeParam T - what is held: a broker client's message, an entry
 *
 * @example
 * ```ts
 * const held = new HeldList<JsMsg>();
 * const link = held.add(msg);
 * // once settled:
 * held.delete(link);
 * // at close, what is left:
 * for (const msg of held) msg.nak();
 * ```
 */
export class HeldList<T> implements Iterable<T> {
  #first: Link<T> | undefined;
  #last: Link<T> | undefined;
  #size = 0;

  /** How many items the list holds. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds an item at the end.
   * @param item - the item to hold (the same item may be added twice: two links)
   * @returns its link, for {@link HeldList.delete}
   */
  add(item: T): HeldLink<T> {
    const link = new Link(item, this, this.#last);
    if (this.#last === undefined) this.#first = link;
    else this.#last.next = link;
    this.#last = link;
    this.#size++;
    return link;
  }

  /**
   * Removes an item by its link.
   * @param held - a link `add` returned
   * @returns false if it was no longer in this list (deleted before, or cleared)
   */
  delete(held: HeldLink<T>): boolean {
    const link = held as Link<T>;
    if (link.list !== this) return false;
    const { prev, next } = link;
    if (prev === undefined) this.#first = next;
    else prev.next = next;
    if (next === undefined) this.#last = prev;
    else next.prev = prev;
    link.prev = undefined;
    link.next = undefined;
    link.list = undefined;
    this.#size--;
    return true;
  }

  /** Removes every item. */
  clear(): void {
    for (let link = this.#first; link !== undefined; link = link.next) link.list = undefined;
    this.#first = undefined;
    this.#last = undefined;
    this.#size = 0;
  }

  /** The items, in the order they were added. */
  *[Symbol.iterator](): Iterator<T> {
    for (let link = this.#first; link !== undefined; link = link.next) yield link.item;
  }
}
