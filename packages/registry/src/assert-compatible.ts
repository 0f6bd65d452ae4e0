import type { CompatibilityReport } from './check-compatibility.js';
import { checkVersions, type SchemaVersion } from './check-versions.js';
import type { CompatibilityMode } from './compatibility-mode.js';
import { IncompatibleSchemaError } from './incompatible-schema-error.js';

/**
 * Throws unless a candidate version is compatible with the versions registered before it;
 * what a schema registry calls before it accepts a new version.
 *
 * @param eventType - the event type, for the message
 * @param versions - the registered versions
 * @param candidate - the new version
 * @param mode - the compatibility mode
 * @default mode `'backward'`
 * @returns the report, compatible
 * @throws IncompatibleSchemaError listing every breaking difference, also when the schemas
 *   cannot be checked
 *
 * @example
 * ```ts
 * assertCompatible('order.placed', [{ version: 1, schema: v1 }], { version: 2, schema: v2 });
 * ```
 */
export function assertCompatible(
  eventType: string,
  versions: ReadonlyArray<SchemaVersion>,
  candidate: SchemaVersion,
  mode: CompatibilityMode = 'backward',
): CompatibilityReport {
  const report = checkVersions(versions, candidate, mode);
  if (!report.compatible) throw new IncompatibleSchemaError(eventType, candidate.version, report);
  return report;
}
