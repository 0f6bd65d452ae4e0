import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RegisteredSchema, type SchemaMap, SchemaRegistry } from '@gossip/core';
import {
  type Catalogue,
  type CompatibilityMode,
  type CompatibilitySettings,
  catalogueOf,
  type RegistryView,
} from '@gossip/registry';
import { CliError } from './cli-error.js';

/**
 * What `gossip` read from an application's module.
 *
 * @example
 * ```ts
 * const { catalogue, exportName } = await loadCatalogue('src/events.ts');
 * ```
 */
export interface LoadedCatalogue {
  /** The module's path, as given. */
  readonly file: string;
  /** The export the catalogue came from (`default`, `registry`, `events`, ...). */
  readonly exportName: string;
  /** What that export was. */
  readonly kind: 'registry' | 'event map' | 'bus';
  /** The catalogue: every event type, its versions and its mode. */
  readonly catalogue: Catalogue;
}

/** The exports read first, in this order; then any other. */
const PREFERRED = ['default', 'registry', 'events', 'schemas', 'eventMap', 'bus'];
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

let tsxRegistered: Promise<unknown> | undefined;

/** Loads TypeScript through tsx's loader, registered once for the process. */
async function registerTypeScript(): Promise<void> {
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => register());
  await tsxRegistered;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSchema(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? '~standard' in value
    : false;
}

function isRegistry(value: unknown): value is RegistryView {
  return (
    isObject(value) &&
    typeof value.types === 'function' &&
    typeof value.versions === 'function' &&
    typeof value.get === 'function'
  );
}

function isEventMap(value: unknown): value is SchemaMap {
  if (!isObject(value) || isSchema(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every(isSchema);
}

function isBus(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.publish === 'function' &&
    typeof value.subscribe === 'function' &&
    typeof value.receive === 'function'
  );
}

/** A Standard Schema: what a schema map's values are once register has checked them. */
type Schema = RegisteredSchema['schema'];

interface VersionStepLike {
  readonly schema: Schema;
  readonly upcast?: ((previous: unknown) => unknown) | undefined;
}

/**
 * A registry of an event map, its `versions(...)` read step by step: the map may come from
 * another copy of `@gossip/core` than this one (the application's), whose `Versions` class
 * this registry would not recognise.
 */
function registryOf(map: SchemaMap): SchemaRegistry {
  const registry = new SchemaRegistry();
  for (const [type, schema] of Object.entries(map)) {
    const steps = (schema as { steps?: unknown }).steps;
    if (Array.isArray(steps)) {
      for (const step of steps as VersionStepLike[]) {
        registry.register(
          type,
          step.schema,
          step.upcast === undefined ? {} : { upcast: step.upcast },
        );
      }
    } else {
      // register checks at run time that it is a Standard Schema.
      registry.register(type, schema as Schema);
    }
  }
  return registry;
}

/** The module's `compatibility` export: a mode, `{ mode, overrides }`, or a policy. */
function modesOf(
  file: string,
  value: unknown,
): CompatibilityMode | CompatibilitySettings | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value as CompatibilityMode;
  if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
    const { mode, overrides } = value as CompatibilitySettings;
    return {
      ...(mode === undefined ? {} : { mode }),
      ...(overrides === undefined ? {} : { overrides }),
    };
  }
  throw new CliError(
    `${file}: its "compatibility" export must be a mode ('backward', 'full', ...), { mode, overrides } or compatibility({ ... }) from @gossip/registry.`,
  );
}

function describeLoadError(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A compile error is long (tsx quotes the code): its first lines say where and what.
  return `${file}: the module failed to load: ${message.split('\n').slice(0, 6).join('\n')}`;
}

/**
 * Loads an application's module and builds its catalogue. The module (JavaScript, or
 * TypeScript through tsx) exports a core `SchemaRegistry`, an event map (`defineEvents`'
 * result) or a bus made with schemas (its `registry` is read), as `default`, `registry`,
 * `events`, `bus` or any other name; a `compatibility` export (a mode, `{ mode, overrides }`,
 * or `compatibility({ ... })`'s result) gives each type's mode, `backward` otherwise.
 *
 * @param file - the module's path, relative to `cwd`
 * @param cwd - the directory paths are relative to
 * @default cwd `process.cwd()`
 * @returns the catalogue, and where it came from
 * @throws CliError naming the file: no such file, a module that throws or does not compile,
 *   no usable export
 *
 * @example
 * ```ts
 * const { catalogue } = await loadCatalogue('src/events.ts');
 * logger.info(catalogue.events.map((event) => event.type));
 * ```
 */
export async function loadCatalogue(file: string, cwd = process.cwd()): Promise<LoadedCatalogue> {
  const namespace = await importModule(file, cwd);
  try {
    return catalogueOfModule(file, namespace);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${file}: ${message}`, { cause: error });
  }
}

async function importModule(file: string, cwd: string): Promise<Record<string, unknown>> {
  const path = resolve(cwd, file);
  const shown = file;
  if (!existsSync(path)) throw new CliError(`${shown}: no such file.`);
  let namespace: Record<string, unknown>;
  try {
    if (TYPESCRIPT.has(extname(path))) await registerTypeScript();
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(describeLoadError(shown, error), { cause: error });
  }
  return namespace;
}

function catalogueOfModule(shown: string, namespace: Record<string, unknown>): LoadedCatalogue {
  const names = [
    ...PREFERRED.filter((name) => name in namespace),
    ...Object.keys(namespace).filter((name) => !PREFERRED.includes(name)),
  ];
  const modes = modesOf(shown, namespace.compatibility);
  const options = modes === undefined ? {} : { modes };
  for (const name of names) {
    const value = namespace[name];
    if (isBus(value) && isObject(value) && isRegistry(value.registry)) {
      return {
        file: shown,
        exportName: name,
        kind: 'bus',
        catalogue: catalogueOf(value.registry, options),
      };
    }
    if (isRegistry(value)) {
      return {
        file: shown,
        exportName: name,
        kind: 'registry',
        catalogue: catalogueOf(value, options),
      };
    }
  }
  for (const name of names) {
    const value = namespace[name];
    if (isEventMap(value)) {
      const registry = registryOf(value);
      return {
        file: shown,
        exportName: name,
        kind: 'event map',
        catalogue: catalogueOf(registry, options),
      };
    }
  }
  const exported = Object.keys(namespace);
  const listed = exported.length === 0 ? 'nothing' : exported.join(', ');
  const bus = names.find((name) => isBus(namespace[name]));
  const hint =
    bus === undefined
      ? 'Export a SchemaRegistry, the result of defineEvents(...) or a bus made with schemas, for example `export const events = defineEvents({ ... })`.'
      : `"${bus}" is a bus without schemas: make it with createEventBus({ schemas }) or export the event map.`;
  throw new CliError(
    `${shown}: exports no registry, event map or bus with schemas (it exports ${listed}). ${hint}`,
  );
}
