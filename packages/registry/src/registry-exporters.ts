import { assertKnownOptions } from '@gossip/core';
import type { Catalogue } from './catalogue.js';
import { buildCatalogue, type CatalogueOptions } from './catalogue-of.js';
import { isRegistryView, type RegistryView } from './registry-view.js';

/**
 * The catalogue of a registry, or the catalogue itself, for the exporter `fn`: its options are
 * checked first (an object, each key one of `known`, whether or not they are read), and errors
 * name `fn`.
 *
 * @internal
 */
export function catalogueFrom(
  fn: string,
  source: Catalogue | RegistryView,
  options: CatalogueOptions,
  known: readonly string[],
): Catalogue {
  assertKnownOptions(fn, options, known);
  return isRegistryView(source) ? buildCatalogue(fn, source, options) : source;
}
