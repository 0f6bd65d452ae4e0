import { assertKnownOptions } from '@gossip/core';
import type { Catalogue, CatalogueEvent, CatalogueVersion } from './catalogue.js';
import { type CompatibilitySettings, modeResolver } from './compatibility.js';
import type { CompatibilityMode } from './compatibility-mode.js';
import type { RegistryView } from './registry-view.js';

/**
 * The options of {@link catalogueOf}.
 *
 * @example
 * ```ts
 * const options: CatalogueOptions = { modes: { mode: 'full' }, descriptions: { 'order.placed': 'An order was placed.' } };
 * ```
 */
export interface CatalogueOptions {
  /**
   * The compatibility mode of each event type: a mode for all, `{ mode, overrides }`, or the
   * {@link CompatibilityPolicy} the registry was made with (a registry does not say its own).
   * @default 'backward'
   */
  readonly modes?: CompatibilityMode | CompatibilitySettings;
  /** What each event type means, for the documents. */
  readonly descriptions?: Readonly<Record<string, string>>;
}

/**
 * Every option of {@link catalogueOf}, and of the exporters that read a registry through it.
 *
 * @internal
 */
export const CATALOGUE_OPTIONS = [
  'modes',
  'descriptions',
] as const satisfies readonly (keyof CatalogueOptions)[];

/**
 * Builds the {@link Catalogue} of a core `SchemaRegistry`: every event type in registration
 * order, each with every version's schema (and whether it has an upcaster) and its
 * compatibility mode. What the exporters and `gossip check` read.
 *
 * @param registry - the registry (only read)
 * @param options - the modes and descriptions
 * @returns the catalogue
 * @throws InvalidOptionError for an unknown mode, or a key that is not an option (a misspelt
 *   one, of the options or of `modes`)
 *
 * @example
 * ```ts
 * const policy = compatibility({ mode: 'full' });
 * const registry = new SchemaRegistry(events, { compatibility: policy });
 * const catalogue = catalogueOf(registry, { modes: policy });
 * ```
 */
export function catalogueOf(registry: RegistryView, options: CatalogueOptions = {}): Catalogue {
  assertKnownOptions('catalogueOf', options, CATALOGUE_OPTIONS);
  return buildCatalogue('catalogueOf', registry, options);
}

/**
 * The catalogue of `registry` under options already checked, given to `fn` (`catalogueOf`, or
 * an exporter given a registry), which errors name.
 *
 * @internal
 */
export function buildCatalogue(
  fn: string,
  registry: RegistryView,
  options: CatalogueOptions,
): Catalogue {
  const modeOf = modeResolver(options.modes, `${fn}({ modes })`, 'modes.');
  const { descriptions = {} } = options;
  const events = registry.types().map((type): CatalogueEvent => {
    const versions = registry.versions(type).flatMap((version): CatalogueVersion[] => {
      const entry = registry.get(type, version);
      if (entry === undefined) return [];
      return [
        { version, schema: entry.schema, ...(entry.upcast === undefined ? {} : { upcast: true }) },
      ];
    });
    const description = Object.hasOwn(descriptions, type) ? descriptions[type] : undefined;
    return {
      type,
      versions,
      compatibility: modeOf(type),
      ...(description === undefined ? {} : { description }),
    };
  });
  return { events };
}
