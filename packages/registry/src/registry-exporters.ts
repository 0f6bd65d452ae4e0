import type { Catalogue } from './catalogue.js';
import { type CatalogueOptions, catalogueOf } from './catalogue-of.js';
import { isRegistryView, type RegistryView } from './registry-view.js';

/**
 * The catalogue of a registry, or the catalogue itself.
 *
 * @internal
 */
export function catalogueFrom(
  source: Catalogue | RegistryView,
  options: CatalogueOptions = {},
): Catalogue {
  return isRegistryView(source) ? catalogueOf(source, options) : source;
}
