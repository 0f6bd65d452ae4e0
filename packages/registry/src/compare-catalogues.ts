import type { Catalogue, CatalogueEvent } from './catalogue.js';
import { checkVersions } from './check-versions.js';
import { refusing } from './compatibility.js';
import type { CompatibilityMode } from './compatibility-mode.js';
import { convertSchema } from './convert-schema.js';
import type { SchemaInput } from './json-schema.js';
import type { SchemaDifference } from './schema-difference.js';

/**
 * What a {@link CatalogueBreak} is about.
 *
 * - `type-removed`: an event type of the old catalogue is gone (its producers' events would be
 *   refused as unknown).
 * - `version-removed`: a version of the old catalogue is gone.
 * - `version-changed`: a version kept its number but not its schema.
 * - `incompatible`: a new version breaks the type's mode.
 * - `cannot-check`: a new version cannot be checked, and has no upcaster.
 *
 * @example
 * ```ts
 * const kind: CatalogueBreakKind = 'incompatible';
 * ```
 */
export type CatalogueBreakKind =
  | 'type-removed'
  | 'version-removed'
  | 'version-changed'
  | 'incompatible'
  | 'cannot-check';

/**
 * One way a new catalogue breaks an old one, found by {@link compareCatalogues}.
 *
 * @example
 * ```ts
 * const [first] = compareCatalogues(before, after);
 * console.error(first?.message); // order.placed v3 breaks backward: "amount" changed ...
 * ```
 */
export interface CatalogueBreak {
  /** The event type. */
  readonly type: string;
  /** The version concerned (none when the whole type was removed). */
  readonly version?: number;
  /** The mode it was checked under. */
  readonly mode: CompatibilityMode;
  /** What kind of break. */
  readonly kind: CatalogueBreakKind;
  /** For `incompatible` and `cannot-check`: every breaking difference. */
  readonly differences: ReadonlyArray<SchemaDifference>;
  /** One line, such as `order.placed v3 breaks backward: "amount" changed from number to string (...)`. */
  readonly message: string;
}

function fingerprint(schema: SchemaInput): string | undefined {
  const input = convertSchema(schema, 'input', false);
  const output = convertSchema(schema, 'output', false);
  if (!input.success || !output.success) return undefined;
  return JSON.stringify([input.data, output.data]);
}

function breaksOf(before: CatalogueEvent, after: CatalogueEvent): CatalogueBreak[] {
  const { type } = after;
  const mode = after.compatibility ?? before.compatibility ?? 'backward';
  if (mode === 'none') return [];
  const found: CatalogueBreak[] = [];
  const afterVersions = new Map(after.versions.map((entry) => [entry.version, entry]));
  let oldLatest = 0;
  for (const old of before.versions) {
    oldLatest = Math.max(oldLatest, old.version);
    const kept = afterVersions.get(old.version);
    const base = { type, version: old.version, mode, differences: [] };
    if (kept === undefined) {
      const message = `${type} v${old.version} was removed: its events can no longer be read`;
      found.push({ ...base, kind: 'version-removed', message });
      continue;
    }
    const was = fingerprint(old.schema);
    const is = fingerprint(kept.schema);
    if (was !== undefined && is !== undefined && was !== is) {
      const message = `${type} v${old.version} changed in place: register the change as v${Math.max(...afterVersions.keys()) + 1} instead`;
      found.push({ ...base, kind: 'version-changed', message });
    }
  }
  const added = after.versions
    .filter((entry) => entry.version > oldLatest)
    .sort((a, b) => a.version - b.version);
  for (const candidate of added) {
    const earlier = after.versions.filter((entry) => entry.version < candidate.version);
    const report = checkVersions(earlier, candidate, mode);
    const differences = refusing(report.differences, candidate.upcast === true ? true : undefined);
    if (differences.length === 0) continue;
    const kind = differences.every((d) => d.change === 'cannot-check')
      ? 'cannot-check'
      : 'incompatible';
    const verb = kind === 'cannot-check' ? `cannot be checked for ${mode}` : `breaks ${mode}`;
    const message = `${type} v${candidate.version} ${verb}: ${differences.map((d) => d.message).join('; ')}`;
    found.push({ type, version: candidate.version, mode, kind, differences, message });
  }
  return found;
}

/**
 * Compares a new catalogue with an old one (the application before and after a change, as
 * `gossip check` does in a pull request) and lists every way the new one breaks the old one's
 * readers or writers, under each event type's mode (the new catalogue's, else the old one's,
 * else `backward`): an event type or a version removed, a version whose schema changed under
 * the same number, a new version that breaks the mode or cannot be checked (without an
 * upcaster). An event type under `none` is not checked; new event types break nothing.
 *
 * @param before - the catalogue in force (the main branch)
 * @param after - the proposed catalogue
 * @returns the breaks, by event type in the old catalogue's order; empty when compatible
 *
 * @example
 * ```ts
 * const breaks = compareCatalogues(catalogueOf(before), catalogueOf(after));
 * for (const found of breaks) console.error(found.message);
 * process.exitCode = breaks.length === 0 ? 0 : 1;
 * ```
 */
export function compareCatalogues(before: Catalogue, after: Catalogue): CatalogueBreak[] {
  const current = new Map(after.events.map((event) => [event.type, event]));
  return before.events.flatMap((event): CatalogueBreak[] => {
    const next = current.get(event.type);
    if (next !== undefined) return breaksOf(event, next);
    const mode = event.compatibility ?? 'backward';
    if (mode === 'none') return [];
    return [
      {
        type: event.type,
        mode,
        kind: 'type-removed',
        differences: [],
        message: `${event.type} was removed: events of it would be refused as unknown`,
      },
    ];
  });
}
