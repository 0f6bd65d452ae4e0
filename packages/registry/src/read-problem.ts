/**
 * Why a reader cannot read what a writer writes, in reader and writer terms (a
 * {@link SchemaDifference} says the same in terms of versions).
 *
 * - `type-mismatch`: the reader accepts none of the writer's types.
 * - `type-narrower`: the reader accepts some of the writer's types, not all.
 * - `null-refused`: the writer may write `null`, the reader refuses it.
 * - `values-narrower`: the reader's `enum`/`const` lacks some values the writer writes.
 * - `values-differ`: the reader's `enum`/`const` shares no value with the writer's.
 * - `missing-required`: the reader requires a field the writer never writes.
 * - `optional-required`: the reader requires a field the writer may leave out.
 * - `field-refused`: the reader refuses unknown fields and the writer writes one.
 * - `extras-refused`: the reader refuses unknown fields and the writer may write any.
 * - `constraint-stricter`: a bound (`minimum`, `maxLength`, ...) is stricter in the reader.
 * - `pattern-differs`, `format-differs`: the reader checks another `pattern` or `format`.
 * - `branch-unreadable`: no branch of the reader's union reads this writer branch.
 * - `cannot-check`: a schema cannot be expressed (or read) as JSON Schema here.
 *
 * @example
 * ```ts
 * const kind: ReadProblemKind = 'missing-required';
 * ```
 */
export type ReadProblemKind =
  | 'type-mismatch'
  | 'type-narrower'
  | 'null-refused'
  | 'values-narrower'
  | 'values-differ'
  | 'missing-required'
  | 'optional-required'
  | 'field-refused'
  | 'extras-refused'
  | 'constraint-stricter'
  | 'pattern-differs'
  | 'format-differs'
  | 'branch-unreadable'
  | 'cannot-check';

/**
 * One reason a reader's schema cannot read data a writer's schema allows.
 *
 * @example
 * ```ts
 * const [problem] = canRead({ type: 'string' }, { type: 'number' });
 * problem?.kind; // 'type-mismatch'
 * ```
 */
export interface ReadProblem {
  /** Where in the payload: `amount`, `items[].sku`, `''` for the payload itself. */
  readonly path: string;
  /** What kind of problem. */
  readonly kind: ReadProblemKind;
  /** The keyword concerned, for `constraint-stricter`, `pattern-differs`, `format-differs`. */
  readonly keyword?: string;
  /** What the reader accepts there, in words (`number`, `"a" | "b"`, `at least 3`). */
  readonly reader: string;
  /** What the writer writes there, in words. */
  readonly writer: string;
  /** The problem as a sentence. */
  readonly message: string;
}
