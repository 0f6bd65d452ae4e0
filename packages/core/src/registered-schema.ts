import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Upcaster } from './versions.js';

/**
 * One registered schema version of an event type.
 *
 * @example
 * ```ts
 * registry.get('user.created')?.version; // 1
 * ```
 */
export interface RegisteredSchema {
  /** The event type. */
  readonly type: string;
  /** The schema, as given. */
  readonly schema: StandardSchemaV1;
  /** The version number: 1 for the type's first schema, then 2, 3, ... */
  readonly version: number;
  /** Lifts a payload of the version before to this one; none where no path is kept. */
  readonly upcast?: Upcaster | undefined;
}
