import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Upcaster } from './versions.js';

/**
 * Options of `registry.register()`.
 *
 * @example
 * ```ts
 * registry.register('order.placed', placedV2, { upcast: (v1) => ({ ...v1, currency: 'EUR' }) });
 * ```
 */
export interface RegisterOptions {
  /**
   * Lifts a payload of the latest version so far (its output) to this one (its input), so that
   * an event received at that version still reaches handlers. Without it, no older event can
   * be lifted past this version.
   */
  readonly upcast?: Upcaster;
  /** The number the version must get; an InvalidOptionError if it would get another. */
  readonly version?: number;
}

/**
 * {@link RegisterOptions} typed for one event type: the upcaster takes the payload of the type's
 * latest version so far (as the registry's map types it) and returns the new schema's input.
 *
 * @example
 * ```ts
 * registry.register('user.deleted', deletedV2, { upcast: (v1) => ({ ...v1, by: 'unknown' }) });
 * ```
 */
export interface TypedRegisterOptions<TPrevious, TSchema extends StandardSchemaV1> {
  /**
   * Lifts a payload of the type's latest version so far to this one. On a registry that types
   * the event (made from schemas), it takes that version's output and must return this
   * schema's input; on an untyped registry, anything.
   */
  readonly upcast?: unknown extends TPrevious
    ? Upcaster
    : Upcaster<TPrevious, StandardSchemaV1.InferInput<TSchema>>;
  /** The number the version must get; an InvalidOptionError if it would get another. */
  readonly version?: number;
}
