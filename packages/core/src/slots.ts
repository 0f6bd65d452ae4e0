/** An item that knows its index in a list, so it can leave the list in constant time. */
export interface Slotted {
  slot: number;
}

/**
 * Adds an item to a list of slotted items: a cheaper set for short-lived members than a `Set`,
 * which hashes each new object and resizes its table as it fills and empties.
 */
export function addSlotted<T extends Slotted>(list: T[], item: T): void {
  item.slot = list.length;
  list.push(item);
}

/**
 * Removes an item from a list of slotted items, moving the last item into its place.
 *
 * @returns false if the item was not in the list
 */
export function removeSlotted<T extends Slotted>(list: T[], item: T): boolean {
  if (list[item.slot] !== item) return false;
  const last = list.pop();
  if (last !== undefined && last !== item) {
    list[item.slot] = last;
    last.slot = item.slot;
  }
  return true;
}
