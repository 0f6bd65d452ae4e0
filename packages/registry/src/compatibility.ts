import {
  assertKnownOptions,
  type CompatibilityCheck,
  InvalidOptionError,
  optionName,
} from '@gossip/core';
import { reportOf } from './check-compatibility.js';
import { checkVersions } from './check-versions.js';
import { type CompatibilityMode, directionsOf } from './compatibility-mode.js';
import { IncompatibleSchemaError } from './incompatible-schema-error.js';
import type { SchemaDifference } from './schema-difference.js';

/**
 * The compatibility modes of a registry: one for every event type, and the exceptions.
 *
 * @example
 * ```ts
 * const settings: CompatibilitySettings = {
 *   mode: 'full',
 *   overrides: { 'audit.logged': 'none' },
 * };
 * ```
 */
export interface CompatibilitySettings {
  /**
   * The mode of every event type without an override.
   * @default 'backward'
   */
  readonly mode?: CompatibilityMode;
  /** A mode per event type (exact names), over `mode`. */
  readonly overrides?: Readonly<Record<string, CompatibilityMode>>;
}

/**
 * The check {@link compatibility} makes, for `new SchemaRegistry(schemas, { compatibility })`.
 * It carries its settings, so the same value tells {@link catalogueOf} each type's mode.
 *
 * @example
 * ```ts
 * const policy: CompatibilityPolicy = compatibility({ mode: 'full' });
 * policy.modeOf('order.placed'); // 'full'
 * ```
 */
export interface CompatibilityPolicy extends CompatibilityCheck {
  /** The mode of every event type without an override. */
  readonly mode: CompatibilityMode;
  /** The modes per event type. */
  readonly overrides: Readonly<Record<string, CompatibilityMode>>;
  /**
   * The mode an event type is checked under.
   *
   * @param type - the event type
   * @returns its override, or `mode`
   */
  modeOf(type: string): CompatibilityMode;
}

/** Every field of {@link CompatibilitySettings}. */
const SETTINGS = ['mode', 'overrides'] as const satisfies readonly (keyof CompatibilitySettings)[];

/**
 * The mode of each event type under some settings: a mode for all, settings, or a policy.
 * Settings given as an object may hold only `mode` and `overrides` (a misspelt key is refused);
 * a policy, a function made by {@link compatibility}, carries `modeOf` besides.
 *
 * @internal
 */
export function modeResolver(
  modes: CompatibilityMode | CompatibilitySettings | undefined,
  /** The argument as the caller wrote it, for errors: `check(modes)`, `compatibility(settings)`. */
  argument: string,
  /** Where the settings sit in the options of the function, for errors: `'modes.'`. */
  prefix = '',
): (type: string) => CompatibilityMode {
  const fn = argument.slice(0, argument.indexOf('('));
  if (modes === undefined) return () => 'backward';
  if (typeof modes === 'string') {
    directionsOf(modes, argument);
    return () => modes;
  }
  if (modes === null || (typeof modes !== 'object' && typeof modes !== 'function')) {
    throw new InvalidOptionError(argument, 'a compatibility mode or { mode, overrides }', modes);
  }
  // `modeOf` too: a policy spread into an object (`{ ...policy, overrides }`) carries it; its
  // modes come from `mode` and `overrides` all the same.
  if (typeof modes === 'object') assertKnownOptions(fn, modes, [...SETTINGS, 'modeOf'], prefix);
  const { mode = 'backward', overrides = {} } = modes;
  directionsOf(mode, optionName(fn, `${prefix}mode`));
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidOptionError(
      optionName(fn, `${prefix}overrides`),
      'an object of event types and modes',
      overrides,
    );
  }
  for (const [type, override] of Object.entries(overrides)) {
    try {
      directionsOf(override);
    } catch {
      throw new InvalidOptionError(
        optionName(fn, `${prefix}overrides["${type}"]`),
        `one of ${MODES.join(', ')}`,
        override,
      );
    }
  }
  return (type) => (Object.hasOwn(overrides, type) ? (overrides[type] ?? mode) : mode);
}

const MODES = [
  'backward',
  'backward-transitive',
  'forward',
  'forward-transitive',
  'full',
  'full-transitive',
  'none',
] as const satisfies readonly CompatibilityMode[];

/**
 * The differences that refuse a version: all of them, except that a version registered with an
 * upcaster may hold what cannot be checked (a transform, a refinement): older events reach its
 * readers through the upcaster, which validates what it returns.
 *
 * @internal
 */
export function refusing(
  differences: ReadonlyArray<SchemaDifference>,
  upcast: unknown,
): SchemaDifference[] {
  return upcast === undefined
    ? [...differences]
    : differences.filter((difference) => difference.change !== 'cannot-check');
}

/**
 * Makes the compatibility check of a core `SchemaRegistry`: each new version of an event type
 * must keep its mode (Confluent's: `backward`, `forward`, `full`, each transitive or not, or
 * `none`) against the versions before it, or the registration throws an
 * {@link IncompatibleSchemaError} listing every breaking difference, and nothing is
 * registered. A version whose schema cannot be checked (a zod transform on the writing side,
 * a refinement on the reading side) is refused too, unless its mode is `none` or it comes with
 * an upcaster. The settings are checked here, once.
 *
 * @param settings - `mode` for every event type, `overrides` per event type
 * @default settings `{ mode: 'backward' }`
 * @returns the check, for the registry's `compatibility` option; it carries `mode`,
 *   `overrides` and `modeOf(type)`
 * @throws InvalidOptionError for an unknown mode, or settings holding a key other than `mode`
 *   and `overrides` (a misspelt one)
 *
 * @example
 * ```ts
 * const registry = new SchemaRegistry(events, {
 *   compatibility: compatibility({ mode: 'full', overrides: { 'audit.logged': 'none' } }),
 * });
 * registry.register('order.placed', breakingV3); // throws IncompatibleSchemaError
 * ```
 */
export function compatibility(settings: CompatibilitySettings = {}): CompatibilityPolicy {
  if (typeof settings !== 'object' || settings === null) {
    throw new InvalidOptionError(
      'compatibility(settings)',
      'an object such as { mode: "full" }',
      settings,
    );
  }
  const modeOf = modeResolver(settings, 'compatibility(settings)');
  const mode = settings.mode ?? 'backward';
  const overrides = Object.freeze({ ...settings.overrides });
  const check: CompatibilityCheck = (type, existing, candidate, upcast) => {
    const typeMode = modeOf(type);
    if (typeMode === 'none' || existing.length === 0) return;
    const version = (existing.at(-1)?.version ?? 0) + 1;
    const report = checkVersions(existing, { version, schema: candidate }, typeMode);
    const refused = reportOf(typeMode, refusing(report.differences, upcast));
    if (!refused.compatible) throw new IncompatibleSchemaError(type, version, refused);
  };
  return Object.assign(check, { mode, overrides, modeOf });
}
