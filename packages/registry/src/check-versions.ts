import { InvalidOptionError } from '@gossip/core';
import {
  type CompatibilityReport,
  compareVersions,
  reportOf,
  SchemaSides,
} from './check-compatibility.js';
import { type CompatibilityMode, directionsOf } from './compatibility-mode.js';
import type { SchemaInput } from './json-schema.js';
import type { SchemaDifference } from './schema-difference.js';

/**
 * One version of an event's schema.
 *
 * @example
 * ```ts
 * const v1: SchemaVersion = { version: 1, schema: z.object({ id: z.string() }) };
 * ```
 */
export interface SchemaVersion {
  /** The version number: a positive integer, higher for later versions. */
  readonly version: number;
  /** The schema of this version. */
  readonly schema: SchemaInput;
}

function checkVersion(option: string, value: SchemaVersion): void {
  if (!Number.isInteger(value?.version) || value.version < 1) {
    throw new InvalidOptionError(`${option}.version`, 'a positive integer', value?.version);
  }
}

/**
 * Checks a candidate version against the versions registered before it: the latest of them
 * for `backward`, `forward` and `full`, every one of them for the transitive modes.
 *
 * @param versions - the registered versions, in any order; those not below the candidate's
 *   version are ignored
 * @param candidate - the new version
 * @param mode - the compatibility mode
 * @default mode `'backward'`
 * @returns the verdict and every breaking difference, each naming the version it breaks with
 * @throws InvalidOptionError if `mode` is unknown or a version number is not a positive integer
 *
 * @example
 * ```ts
 * const report = checkVersions(
 *   [{ version: 1, schema: v1 }, { version: 2, schema: v2 }],
 *   { version: 3, schema: v3 },
 *   'backward-transitive',
 * );
 * ```
 */
export function checkVersions(
  versions: ReadonlyArray<SchemaVersion>,
  candidate: SchemaVersion,
  mode: CompatibilityMode = 'backward',
): CompatibilityReport {
  const { directions, transitive } = directionsOf(mode, 'checkVersions(mode)');
  checkVersion('checkVersions(candidate)', candidate);
  for (const [index, version] of versions.entries()) {
    checkVersion(`checkVersions(versions[${index}])`, version);
  }
  const earlier = versions
    .filter((version) => version.version < candidate.version)
    .sort((a, b) => b.version - a.version);
  const against = transitive ? earlier : earlier.slice(0, 1);
  const sides = new SchemaSides();
  const differences: SchemaDifference[] = [];
  for (const previous of against) {
    const labels = { before: previous.version, after: candidate.version };
    differences.push(
      ...compareVersions(previous.schema, candidate.schema, directions, labels, sides),
    );
  }
  return reportOf(mode, differences);
}
