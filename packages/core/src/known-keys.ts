import { InvalidOptionError } from './errors.js';
import { optionName } from './option-name.js';

/**
 * The InvalidOptionError of a key that is not an option of `what`: it names the key and
 * suggests the known one closest to it (`worker`: did you mean `workers`?), so that a misspelt
 * option fails where it was given instead of being ignored. `prefix` is the path of a nested
 * options object (`'retry.'`).
 *
 * @internal
 * @example
 * ```ts
 * throw unknownOption('createEventBus', ['worker', 3], ['workers', 'bufferSize']);
 * // InvalidOptionError: Invalid option "createEventBus({ worker })": expected a known
 * // option (did you mean "workers"?), received 3.
 * ```
 */
export function unknownOption(
  what: string,
  [key, value]: [key: string, value: unknown],
  known: readonly string[],
  prefix = '',
): InvalidOptionError {
  return new InvalidOptionError(
    optionName(what, prefix + key),
    known.length === 0
      ? 'no option'
      : `a known option (did you mean "${prefix}${closest(key, known)}"?)`,
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
  const distances = candidates.map((candidate) =>
    editDistance(word.toLowerCase(), candidate.toLowerCase()),
  );
  return candidates[distances.indexOf(Math.min(...distances))] ?? '';
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    const row = [i + 1];
    for (let j = 0; j < b.length; j++) {
      const cost = a[i] === b[j] ? 0 : 1;
      row.push(Math.min((previous[j + 1] ?? 0) + 1, (row[j] ?? 0) + 1, (previous[j] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
