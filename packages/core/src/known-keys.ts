import { InvalidOptionError } from './errors.js';

/**
 * Throws InvalidOptionError for the first key of `options` that is not one of `known`, naming
 * it and suggesting the known key closest to it (`worker`: did you mean `workers`?), so that a
 * misspelt option fails where it was given instead of being ignored. Reads own enumerable keys
 * only; the caller reads them inside its guard (a revoked Proxy throws here).
 *
 * @internal
 * @param what - where the options were given, for the message (`createEventBus`)
 * @param options - the options as given
 * @param known - every key the options may have
 *
 * @example
 * ```ts
 * assertKnownKeys('createEventBus', { worker: 3 }, ['workers', 'bufferSize']);
 * // InvalidOptionError: Invalid option "worker": expected an option of createEventBus
 * // (did you mean "workers"?), received 3.
 * ```
 */
export function assertKnownKeys(what: string, options: object, known: readonly string[]): void {
  const found = unknownKey(options, known);
  if (found !== undefined) throw unknownOption(what, found, known);
}

/**
 * The first own key of `options` that is not one of `known`, with its value; undefined if
 * there is none. May throw on a hostile object: call it inside the caller's guard.
 *
 * @internal
 * @example
 * ```ts
 * unknownKey({ prio: 1 }, ['priority']); // ['prio', 1]
 * ```
 */
export function unknownKey(
  options: object,
  known: readonly string[],
): [key: string, value: unknown] | undefined {
  for (const key in options) {
    if (Object.hasOwn(options, key) && !known.includes(key)) {
      return [key, (options as Record<string, unknown>)[key]];
    }
  }
  return undefined;
}

/**
 * The InvalidOptionError of an unknown key: it names the key and suggests the closest known one.
 *
 * @internal
 * @example
 * ```ts
 * throw unknownOption('publish', ['prio', 1], ['metadata', 'id', 'priority']);
 * ```
 */
export function unknownOption(
  what: string,
  [key, value]: [key: string, value: unknown],
  known: readonly string[],
): InvalidOptionError {
  return new InvalidOptionError(
    key,
    `an option of ${what} (did you mean "${closest(key, known)}"?)`,
    value,
  );
}

/**
 * The candidate nearest to `word` by edit distance (letters added, removed or changed),
 * ignoring case; the first of equals.
 *
 * @internal
 * @example
 * ```ts
 * closest('worker', ['workers', 'bufferSize']); // 'workers'
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string {
  let best = candidates[0] ?? '';
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
