import { canRead } from './can-read.js';
import { type CompatibilityMode, type Direction, directionsOf } from './compatibility-mode.js';
import { type Converted, convertSchema, type SchemaSide } from './convert-schema.js';
import type { SchemaInput } from './json-schema.js';
import type { ReadProblem } from './read-problem.js';
import { type SchemaDifference, toDifference } from './schema-difference.js';

/**
 * The verdict of a compatibility check.
 *
 * - `compatible`: no difference breaks the mode.
 * - `incompatible`: some difference breaks it (listed in `differences`).
 * - `cannot-check`: nothing found breaks it, but a schema (or part of one) cannot be expressed
 *   as JSON Schema, such as a zod transform on the writing side or a refinement on the reading
 *   side, so compatibility is unknown.
 *
 * @example
 * ```ts
 * const status: CompatibilityStatus = 'cannot-check';
 * ```
 */
export type CompatibilityStatus = 'compatible' | 'incompatible' | 'cannot-check';

/**
 * What a compatibility check found.
 *
 * @example
 * ```ts
 * const report = checkCompatibility(v1, v2, 'full');
 * if (!report.compatible) logger.info(report.differences.map((d) => d.message));
 * ```
 */
export interface CompatibilityReport {
  /** The mode checked. */
  readonly mode: CompatibilityMode;
  /** The verdict. */
  readonly status: CompatibilityStatus;
  /** `status === 'compatible'`. */
  readonly compatible: boolean;
  /** Every difference that breaks the mode, and every place that could not be checked. */
  readonly differences: ReadonlyArray<SchemaDifference>;
}

/**
 * Converts schemas once each, side by side: a transitive check reads every earlier version.
 *
 * @internal
 */
export class SchemaSides {
  readonly #cache = new Map<object, Map<SchemaSide, Converted>>();

  /** The JSON Schema of one side of a schema, with refinements marked. */
  get(schema: SchemaInput, side: SchemaSide): Converted {
    if (typeof schema !== 'object' || schema === null) return convertSchema(schema, side, true);
    let sides = this.#cache.get(schema);
    if (sides === undefined) {
      sides = new Map();
      this.#cache.set(schema, sides);
    }
    let converted = sides.get(side);
    if (converted === undefined) {
      converted = convertSchema(schema, side, true);
      sides.set(side, converted);
    }
    return converted;
  }
}

/**
 * The version numbers of the two schemas {@link checkCompatibility} compares, for its messages
 * (`v2 events cannot be read`) and differences; without them the messages say `old` and `new`.
 *
 * @example
 * ```ts
 * checkCompatibility(v2, v3, 'backward', { before: 2, after: 3 });
 * ```
 */
export interface VersionLabels {
  /** The earlier version's number. */
  readonly before?: number | undefined;
  /** The new version's number. */
  readonly after?: number | undefined;
}

/**
 * The differences between two versions in the given directions.
 *
 * @internal
 */
export function compareVersions(
  before: SchemaInput,
  after: SchemaInput,
  directions: ReadonlyArray<Direction>,
  labels: VersionLabels,
  sides: SchemaSides,
): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  for (const direction of directions) {
    // The reader validates with its schema's input side; the writer's payload is its output.
    const [reader, writer] = direction === 'backward' ? [after, before] : [before, after];
    const readerSide = sides.get(reader, 'input');
    const writerSide = sides.get(writer, 'output');
    let problems: ReadProblem[];
    if (readerSide.success && writerSide.success) {
      problems = canRead(readerSide.data, writerSide.data);
    } else {
      const failedReader = !readerSide.success;
      const failedAfter = (direction === 'backward') === failedReader;
      const version = failedAfter ? labels.after : labels.before;
      const name =
        version === undefined
          ? failedAfter
            ? 'the new version'
            : 'the old version'
          : `v${version}`;
      const side = failedReader ? 'input' : 'output';
      const reason = readerSide.success
        ? writerSide.success
          ? ''
          : writerSide.reason
        : readerSide.reason;
      const text = `the ${side} of ${name} has no JSON Schema (${reason})`;
      problems = [
        {
          path: '',
          kind: 'cannot-check',
          reader: text,
          writer: '',
          message: `cannot check: ${text}`,
        },
      ];
    }
    for (const problem of problems) differences.push(toDifference(problem, direction, labels));
  }
  return differences;
}

/**
 * The report of a list of differences under a mode.
 *
 * @internal
 */
export function reportOf(
  mode: CompatibilityMode,
  differences: ReadonlyArray<SchemaDifference>,
): CompatibilityReport {
  const status: CompatibilityStatus =
    differences.length === 0
      ? 'compatible'
      : differences.every((difference) => difference.change === 'cannot-check')
        ? 'cannot-check'
        : 'incompatible';
  return { mode, status, compatible: status === 'compatible', differences };
}

/**
 * Checks whether a new version of an event's schema is compatible with the previous one.
 *
 * Schemas are JSON Schemas (draft 2020-12) or Standard Schemas such as zod's, converted with
 * their `~standard.jsonSchema` (or `z.toJSONSchema`): the reader's `input` side against the
 * writer's `output` side, so a field with a default is optional to a reader and always present
 * in what a writer sends. A transitive mode compares the two like its plain mode; use
 * {@link checkVersions} to check against every earlier version.
 *
 * @param before - the previous version's schema
 * @param after - the new version's schema
 * @param mode - the compatibility mode
 * @default mode `'backward'`
 * @param versions - the two version numbers, for the messages (`v2 events cannot be read`)
 * @returns the verdict and every breaking difference
 * @throws InvalidOptionError if `mode` is not a {@link CompatibilityMode}
 *
 * @example
 * ```ts
 * const v1 = z.object({ amount: z.number() });
 * const v2 = z.object({ amount: z.number(), currency: z.string().default('EUR') });
 * checkCompatibility(v1, v2, 'backward').compatible; // true
 * ```
 */
export function checkCompatibility(
  before: SchemaInput,
  after: SchemaInput,
  mode: CompatibilityMode = 'backward',
  versions: VersionLabels = {},
): CompatibilityReport {
  const { directions } = directionsOf(mode, 'checkCompatibility(mode)');
  return reportOf(mode, compareVersions(before, after, directions, versions, new SchemaSides()));
}
