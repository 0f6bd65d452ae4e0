import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidOptionError } from './errors.js';

/**
 * Lifts a payload of one schema version to the next: it takes the previous version's output
 * (as validated) and returns the next version's input, which is validated in turn. It may be
 * asynchronous.
 *
 * @typeParam TPrevious - the previous version's output
 * @typeParam TNext - the next version's input
 *
 * @example
 * ```ts
 * const toV2: Upcaster<{ amount: number }, { amount: number; currency: string }> = (v1) => ({
 *   ...v1,
 *   currency: 'EUR',
 * });
 * ```
 */
export type Upcaster<TPrevious = unknown, TNext = unknown> = (
  previous: TPrevious,
) => TNext | PromiseLike<TNext>;

/**
 * One version of an event type as declared: its schema, and the upcaster from the version
 * before it (none for the first, or where no path is kept).
 */
export interface VersionStep {
  /** The version's schema. */
  readonly schema: StandardSchemaV1;
  /** Lifts a payload of the version before to this one. */
  readonly upcast?: Upcaster | undefined;
}

/**
 * An event type's schema versions, oldest first, made by {@link versions}. It validates as its
 * latest version, so wherever a schema goes (`defineEvents`, a `SchemaRegistry`) it types the
 * event by the current contract; a registry registers each of its versions in turn.
 *
 * @typeParam TLatest - the latest version's schema
 *
 * @example
 * ```ts
 * const placed = versions(placedV1).upcast(placedV2, (v1) => ({ ...v1, currency: 'EUR' }));
 * ```
 */
export class Versions<TLatest extends StandardSchemaV1 = StandardSchemaV1>
  implements
    StandardSchemaV1<StandardSchemaV1.InferInput<TLatest>, StandardSchemaV1.InferOutput<TLatest>>
{
  /** The versions, oldest first. */
  readonly steps: readonly VersionStep[];
  /** The latest version's Standard Schema interface. */
  readonly '~standard': StandardSchemaV1.Props<
    StandardSchemaV1.InferInput<TLatest>,
    StandardSchemaV1.InferOutput<TLatest>
  >;

  /** @param steps - the versions, oldest first; at least one */
  constructor(steps: readonly VersionStep[]) {
    const latest = steps.at(-1);
    if (latest === undefined)
      throw new InvalidOptionError('versions(schema)', 'a schema', undefined);
    this.steps = steps;
    this['~standard'] = latest.schema['~standard'];
  }

  /**
   * Adds a version after the latest, with the upcaster that lifts a payload of the latest to it.
   *
   * @param schema - the new version's schema
   * @param from - takes the current latest version's output, returns the new version's input
   * @returns the versions with the new one last (this list is left as it was)
   *
   * @example
   * ```ts
   * versions(v1).upcast(v2, (old) => ({ ...old, currency: 'EUR' }));
   * ```
   */
  upcast<TNext extends StandardSchemaV1>(
    schema: TNext,
    from: Upcaster<StandardSchemaV1.InferOutput<TLatest>, StandardSchemaV1.InferInput<TNext>>,
  ): Versions<TNext> {
    return new Versions([...this.steps, { schema, upcast: from as Upcaster }]);
  }
}

/**
 * Declares the schema versions of one event type, oldest first, for `defineEvents` or a
 * `SchemaRegistry`. The event map types the event by its latest version. Add a version with
 * its upcaster by `.upcast(schema, from)`: a received event of an older version is validated
 * against its own schema, lifted step by step and validated again before any handler sees it.
 * Versions listed here without an upcaster are kept as history (for compatibility checks), but
 * an event of a version before them cannot be lifted and is refused with an `UpcastError`.
 *
 * @param schemas - the first versions, oldest first
 * @returns the versions
 *
 * @example
 * ```ts
 * const events = defineEvents({
 *   'order.placed': versions(z.object({ amount: z.number() }))
 *     .upcast(z.object({ amount: z.number(), currency: z.string() }), (v1) => ({
 *       ...v1,
 *       currency: 'EUR',
 *     })),
 * });
 * ```
 */
export function versions<const TSchemas extends readonly [StandardSchemaV1, ...StandardSchemaV1[]]>(
  ...schemas: TSchemas
): Versions<
  TSchemas extends readonly [...StandardSchemaV1[], infer TLast extends StandardSchemaV1]
    ? TLast
    : StandardSchemaV1
> {
  return new Versions(schemas.map((schema) => ({ schema })));
}
