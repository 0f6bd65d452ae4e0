import type { RegisteredSchema } from '@gossip/core';

/**
 * What this package reads of a core `SchemaRegistry`: its event types and their versions. Any
 * `SchemaRegistry` (whatever its event map) is one, so is a registry from another copy of
 * `@gossip/core` (a CLI loading an application's module).
 *
 * @example
 * ```ts
 * const view: RegistryView = new SchemaRegistry({ 'user.created': z.object({ id: z.string() }) });
 * ```
 */
export interface RegistryView {
  /** Every registered event type, in registration order. */
  types(): string[];
  /** The version numbers of an event type, oldest first. */
  versions(type: string): number[];
  /** A registered version of an event type (the latest without `version`). */
  get(type: string, version?: number): RegisteredSchema | undefined;
}

/**
 * Tells whether a value reads as a {@link RegistryView}.
 *
 * @internal
 */
export function isRegistryView(value: unknown): value is RegistryView {
  if (typeof value !== 'object' || value === null) return false;
  const view = value as Partial<Record<keyof RegistryView, unknown>>;
  return (
    typeof view.types === 'function' &&
    typeof view.versions === 'function' &&
    typeof view.get === 'function'
  );
}
