import type { SchemaVersion } from './check-versions.js';
import type { CompatibilityMode } from './compatibility-mode.js';

/**
 * One version of an event type in a {@link Catalogue}: its schema, and whether it was
 * registered with an upcaster from the version before.
 *
 * @example
 * ```ts
 * const v2: CatalogueVersion = { version: 2, schema: placedV2, upcast: true };
 * ```
 */
export interface CatalogueVersion extends SchemaVersion {
  /** True when the version has an upcaster from the one before (events of it can be lifted). */
  readonly upcast?: boolean;
}

/**
 * One event type of a {@link Catalogue}, with every version of its schema.
 *
 * @example
 * ```ts
 * const placed: CatalogueEvent = {
 *   type: 'order.placed',
 *   versions: [{ version: 1, schema: z.object({ orderId: z.string() }) }],
 * };
 * ```
 */
export interface CatalogueEvent {
  /** The event type, such as `order.placed`. */
  readonly type: string;
  /** What the event means, for the documents. */
  readonly description?: string;
  /** Every version of its schema; the highest number is the current one. */
  readonly versions: ReadonlyArray<CatalogueVersion>;
  /** The compatibility mode of the event type. */
  readonly compatibility?: CompatibilityMode;
}

/**
 * A plain description of the events of an application, what the exporters read. A schema
 * registry can produce one; it can be written by hand too.
 *
 * @example
 * ```ts
 * const catalogue: Catalogue = {
 *   events: [{ type: 'order.placed', versions: [{ version: 1, schema: orderPlaced }] }],
 * };
 * ```
 */
export interface Catalogue {
  /** The event types. */
  readonly events: ReadonlyArray<CatalogueEvent>;
}
