import type { Direction } from './compatibility-mode.js';
import type { ReadProblem, ReadProblemKind } from './read-problem.js';
import { quotePath } from './schema-path.js';

/**
 * What changed between two versions of a schema, in the terms of the change (a
 * {@link ReadProblem} says it in terms of reader and writer). The same problem reads as a
 * narrowing when it breaks backward (the new version reads less) and as a widening when it
 * breaks forward (the new version writes more).
 *
 * @example
 * ```ts
 * const change: SchemaChange = 'required-added';
 * ```
 */
export type SchemaChange =
  | 'type-changed'
  | 'type-narrowed'
  | 'type-widened'
  | 'null-removed'
  | 'null-added'
  | 'enum-narrowed'
  | 'enum-widened'
  | 'enum-changed'
  | 'required-added'
  | 'required-removed'
  | 'made-required'
  | 'made-optional'
  | 'field-removed'
  | 'field-added'
  | 'additional-properties-closed'
  | 'additional-properties-opened'
  | 'constraint-tightened'
  | 'constraint-loosened'
  | 'pattern-changed'
  | 'format-changed'
  | 'union-narrowed'
  | 'union-widened'
  | 'cannot-check';

/**
 * One difference between two versions that breaks a direction of compatibility.
 *
 * @example
 * ```ts
 * const { differences } = checkCompatibility(v1, v2, 'backward');
 * for (const d of differences) logger.info(d.path, d.change, d.message);
 * ```
 */
export interface SchemaDifference {
  /** Where in the payload: `amount`, `items[].sku`, `''` for the payload itself. */
  readonly path: string;
  /** What changed. */
  readonly change: SchemaChange;
  /** The direction it breaks. */
  readonly breaks: Direction;
  /** The keyword concerned, for constraints, patterns and formats. */
  readonly keyword?: string;
  /** The earlier version compared, when known. */
  readonly before?: number;
  /** The new version, when known. */
  readonly after?: number;
  /**
   * The difference as a sentence, such as
   * `"amount" changed from number to string (breaks backward: v2 events cannot be read)`.
   */
  readonly message: string;
}

const CHANGES: Record<ReadProblemKind, readonly [backward: SchemaChange, forward: SchemaChange]> = {
  'type-mismatch': ['type-changed', 'type-changed'],
  'type-narrower': ['type-narrowed', 'type-widened'],
  'null-refused': ['null-removed', 'null-added'],
  'values-narrower': ['enum-narrowed', 'enum-widened'],
  'values-differ': ['enum-changed', 'enum-changed'],
  'missing-required': ['required-added', 'required-removed'],
  'optional-required': ['made-required', 'made-optional'],
  'field-refused': ['field-removed', 'field-added'],
  'extras-refused': ['additional-properties-closed', 'additional-properties-opened'],
  'constraint-stricter': ['constraint-tightened', 'constraint-loosened'],
  'pattern-differs': ['pattern-changed', 'pattern-changed'],
  'format-differs': ['format-changed', 'format-changed'],
  'branch-unreadable': ['union-narrowed', 'union-widened'],
  'cannot-check': ['cannot-check', 'cannot-check'],
};

function sentence(change: SchemaChange, where: string, from: string, to: string, keyword?: string) {
  switch (change) {
    case 'null-removed':
      return `${where} no longer accepts null`;
    case 'null-added':
      return `${where} may now be null`;
    case 'required-added':
      return `required field ${where} added`;
    case 'required-removed':
      return `required field ${where} removed`;
    case 'made-required':
      return `${where} made required`;
    case 'made-optional':
      return `${where} made optional`;
    case 'field-removed':
      return `${where} removed from an object that refuses unknown fields`;
    case 'field-added':
      return `${where} added where unknown fields were refused`;
    case 'additional-properties-closed':
      return `${where} no longer accepts unknown fields`;
    case 'additional-properties-opened':
      return `${where} may now carry unknown fields`;
    case 'constraint-tightened':
      return `${where} ${keyword ?? 'constraint'} tightened from ${from} to ${to}`;
    case 'constraint-loosened':
      return `${where} ${keyword ?? 'constraint'} loosened from ${from} to ${to}`;
    case 'pattern-changed':
    case 'format-changed':
      return `${where} ${keyword} changed from ${from} to ${to}`;
    case 'cannot-check':
      return `${where} cannot be checked: ${from}`;
    case 'type-narrowed':
    case 'enum-narrowed':
    case 'union-narrowed':
      return `${where} narrowed from ${from} to ${to}`;
    case 'type-widened':
    case 'enum-widened':
    case 'union-widened':
      return `${where} widened from ${from} to ${to}`;
    default:
      return `${where} changed from ${from} to ${to}`;
  }
}

function label(version: number | undefined, fallback: string): string {
  return version === undefined ? fallback : `v${version}`;
}

/**
 * Says a reader's problem in terms of the change between versions.
 *
 * @param problem - what `canRead` found
 * @param breaks - `backward` when the reader was the new version, `forward` when the old
 * @param versions - the version numbers, for the message
 * @internal
 */
export function toDifference(
  problem: ReadProblem,
  breaks: Direction,
  versions: { readonly before?: number | undefined; readonly after?: number | undefined },
): SchemaDifference {
  const [backward, forward] = CHANGES[problem.kind];
  const change = breaks === 'backward' ? backward : forward;
  const [from, to] =
    change === 'cannot-check' || breaks === 'forward'
      ? [problem.reader, problem.writer]
      : [problem.writer, problem.reader];
  const before = label(versions.before, 'old');
  const after = label(versions.after, 'new');
  const why =
    change === 'cannot-check'
      ? `cannot check ${breaks}`
      : breaks === 'backward'
        ? `breaks backward: ${before} events cannot be read`
        : `breaks forward: ${before} readers cannot read ${after} events`;
  return {
    path: problem.path,
    change,
    breaks,
    ...(problem.keyword === undefined ? {} : { keyword: problem.keyword }),
    ...(versions.before === undefined ? {} : { before: versions.before }),
    ...(versions.after === undefined ? {} : { after: versions.after }),
    message: `${sentence(change, quotePath(problem.path), from, to, problem.keyword)} (${why})`,
  };
}
