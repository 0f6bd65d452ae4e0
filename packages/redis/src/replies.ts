/** @internal Readers for the replies of stream commands, which ioredis types loosely. */

/** A stream entry as Redis returns it; `fields` is undefined for an entry deleted meanwhile. */
export interface RawEntry {
  readonly id: string;
  readonly fields: Buffer[] | undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** @internal A bulk string or number as text. */
export function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** @internal `[[id, [field, value, ...] | null], ...]`. */
export function entriesOf(value: unknown): RawEntry[] {
  return list(value).map((item) => {
    // Indexed rather than destructured: one entry of every message read, and a destructuring
    // goes through the array's iterator.
    const pair = list(item);
    const fields = pair[1];
    return { id: text(pair[0]), fields: Array.isArray(fields) ? buffersOf(fields) : undefined };
  });
}

/** The Buffers of a list: the list itself when they all are (the usual case), else a copy. */
function buffersOf(items: unknown[]): Buffer[] {
  for (let i = 0; i < items.length; i++) {
    if (!Buffer.isBuffer(items[i])) return items.filter((field) => Buffer.isBuffer(field));
  }
  return items as Buffer[];
}

/**
 * @internal The reply of XREADGROUP: pairs `[key, entries]` (RESP2, and RESP3 with ioredis'
 * legacy reply mapping), a flat `[key, entries, key, entries]` list, or null on timeout.
 */
export function streamsOf(value: unknown): Array<[string, RawEntry[]]> {
  const items = list(value);
  const out: Array<[string, RawEntry[]]> = [];
  if (items.length > 0 && !Array.isArray(items[0])) {
    for (let i = 0; i + 1 < items.length; i += 2)
      out.push([text(items[i]), entriesOf(items[i + 1])]);
    return out;
  }
  for (const item of items) {
    const [key, entries] = list(item);
    out.push([text(key), entriesOf(entries)]);
  }
  return out;
}

/** @internal The extended XPENDING reply: id, owner, idle time and delivery count per entry. */
export function pendingOf(
  value: unknown,
): Array<{ id: string; consumer: string; deliveries: number }> {
  return list(value).map((item) => {
    const [id, consumer, , deliveries] = list(item);
    return { id: text(id), consumer: text(consumer), deliveries: Number(text(deliveries)) };
  });
}

/** @internal A flat `[name, value, ...]` reply (or a RESP3 map as an object) as a Map. */
export function pairsOf(value: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (Array.isArray(value)) {
    for (let i = 0; i + 1 < value.length; i += 2) map.set(text(value[i]), value[i + 1]);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) map.set(key, inner);
  }
  return map;
}
