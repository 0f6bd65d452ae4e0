import { InvalidOptionError } from '@gossip/core';
import { checkVersions } from './check-versions.js';
import { type CompatibilitySettings, modeResolver } from './compatibility.js';
import type { CompatibilityMode } from './compatibility-mode.js';
import type { StandardSchemaLike } from './json-schema.js';
import type { RegistryView } from './registry-view.js';
import type { SchemaDifference } from './schema-difference.js';

/**
 * Lists what a schema would break if it were registered as the next version of an event type,
 * without registering it: the `registry.check(type, schema)` of issue 15, a function here so
 * that core's bundle does not carry the checker. The list is what {@link compatibility} would
 * refuse the registration with; empty when the schema is compatible, when the type has no
 * version yet, or under `none`. A schema that cannot be checked gives `cannot-check`
 * differences (the registration would accept them only with an upcaster).
 *
 * @param registry - a core `SchemaRegistry` (it is only read)
 * @param type - the event type
 * @param schema - the candidate schema
 * @param modes - a mode, or the registry's settings (or its {@link CompatibilityPolicy}), to
 *   check under the type's mode
 * @default modes `'backward'`
 * @returns every breaking difference, each with its path, change, direction and message
 * @throws InvalidOptionError for an unknown mode, or settings holding a key other than `mode`
 *   and `overrides` (a misspelt one)
 *
 * @example
 * ```ts
 * for (const difference of check(registry, 'order.placed', placedV3, 'full')) {
 *   logger.info(difference.message);
 * }
 * ```
 */
export function check(
  registry: RegistryView,
  type: string,
  schema: StandardSchemaLike,
  modes?: CompatibilityMode | CompatibilitySettings,
): SchemaDifference[] {
  if (typeof type !== 'string') throw new InvalidOptionError('check(type)', 'an event type', type);
  const mode = modeResolver(modes, 'check(modes)')(type);
  const versions = registry.versions(type).flatMap((version) => {
    const entry = registry.get(type, version);
    return entry === undefined ? [] : [{ version, schema: entry.schema }];
  });
  const latest = versions.at(-1);
  if (latest === undefined || mode === 'none') return [];
  // Registering the latest schema again adds nothing: nothing to check either.
  if (latest.schema === schema) return [];
  return [...checkVersions(versions, { version: latest.version + 1, schema }, mode).differences];
}
