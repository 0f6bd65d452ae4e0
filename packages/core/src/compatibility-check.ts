import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { RegisteredSchema } from './registered-schema.js';
import type { Upcaster } from './versions.js';

/**
 * Checks a new schema version against the versions before it, and throws to refuse it. Core
 * checks no compatibility itself: `@gossip/registry` provides checks (backward, forward,
 * full, ...).
 *
 * @param type - the event type
 * @param existing - its registered versions, oldest first (empty for its first schema)
 * @param candidate - the schema about to become the next version
 * @param upcast - the upcaster registered with it, if any: a checker may accept a change it
 *   cannot check when older events have a path to the new version
 *
 * @example
 * ```ts
 * const frozen: CompatibilityCheck = (type, existing) => {
 *   if (existing.length > 0) throw new Error(`${type} is frozen`);
 * };
 * ```
 */
export type CompatibilityCheck = (
  type: string,
  existing: readonly RegisteredSchema[],
  candidate: StandardSchemaV1,
  upcast?: Upcaster,
) => void;
