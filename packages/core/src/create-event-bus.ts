import { assertFunction, assertOneOf, assertSchemaMap } from './assert.js';
import { assertCount, checkMiddleware, checkScheduler, OVERFLOW_POLICIES } from './bus-options.js';
import { checkOptions, type OptionChecks } from './check-options.js';
import { type GossipError, InvalidOptionError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { EventBus } from './event-bus.js';
import type { EventMap, InferEventInputs, InferEventMap, SchemaMap } from './event-map.js';
import { GossipBus } from './gossip-bus.js';
import type { Middleware } from './handler.js';
import { optionName } from './option-name.js';
import type { OverflowPolicy } from './overflow-policy.js';
import { fifoScheduler, type SchedulerFactory } from './scheduler.js';
import { SchemaRegistry } from './schema-registry.js';

/**
 * Options of {@link createEventBus}.
 *
 * @example
 * ```ts
 * createEventBus({ schemas, workers: 4, bufferSize: 10_000, overflow: 'reject', onError: report });
 * ```
 */
export interface EventBusOptions {
  /**
   * How many handler calls may run at once.
   * @default 10
   */
  readonly workers?: number;
  /**
   * How many events the buffer holds before the overflow policy applies.
   * @default 1000
   */
  readonly bufferSize?: number;
  /**
   * What publish does when the buffer is full: `block` waits for room (backpressure),
   * `reject` fails with BufferFullError, `drop-oldest` and `drop-newest` drop an event and
   * report it (stats, `onDrop`, the `drop` lifecycle event).
   * @default 'block' (nothing is lost; a producer that awaits publish slows to the consumers' pace)
   */
  readonly overflow?: OverflowPolicy;
  /**
   * Orders the buffer; `@gossip/priority` provides a priority scheduler.
   * @default fifoScheduler
   */
  readonly scheduler?: SchedulerFactory;
  /**
   * The longest chain of events caused by handlers (`ctx.publish`) before it is refused as a loop.
   * @default 32
   */
  readonly maxCausationDepth?: number;
  /**
   * Called with each failure: a HandlerError, a LoopDetectedError, or an error a sibling
   * package reports with `bus.report()` (a failed batch, say).
   */
  readonly onError?: (error: GossipError) => void;
  /** Called with each event an overflow policy drops. */
  readonly onDrop?: (event: AnyEvent) => void;
  /** Middleware around every subscription; the first is outermost. */
  readonly middleware?: ReadonlyArray<Middleware>;
}

/** The options of createEventBus, each with its check. */
const BUS_CHECKS: OptionChecks = {
  schemas: assertSchemaMap,
  registry: (name, registry) => {
    if (!(registry instanceof SchemaRegistry)) {
      throw new InvalidOptionError(name, 'a SchemaRegistry', registry);
    }
  },
  workers: assertCount,
  bufferSize: assertCount,
  overflow: (name, overflow) => assertOneOf(name, overflow, OVERFLOW_POLICIES),
  scheduler: assertFunction,
  maxCausationDepth: assertCount,
  onError: assertFunction,
  onDrop: assertFunction,
  middleware: checkMiddleware,
};

/**
 * Creates an event bus.
 *
 * - With `schemas` (from {@link defineEvents}): the event map is inferred and every payload is
 *   validated at publish.
 * - With `registry`: the same, from a {@link SchemaRegistry}.
 * - With neither, and the map as a type argument: types without run-time validation.
 *
 * @param options - schemas or registry, and the dispatch settings
 * @returns the bus
 * @throws InvalidOptionError for an option of the wrong kind, naming it, and for a key that is
 *   not an option (`worker`), suggesting the closest one (`workers`)
 *
 * @example
 * ```ts
 * const bus = createEventBus({
 *   schemas: defineEvents({ 'user.created': z.object({ email: z.email() }) }),
 * });
 * const typedOnly = createEventBus<{ 'app.started': undefined }>();
 * ```
 */
export function createEventBus<const TSchemas extends SchemaMap>(
  options: EventBusOptions & { readonly schemas: TSchemas },
): EventBus<InferEventMap<TSchemas>, InferEventInputs<TSchemas>>;
export function createEventBus<TEvents extends EventMap>(
  options: EventBusOptions & { readonly registry: SchemaRegistry<TEvents> },
): EventBus<TEvents>;
export function createEventBus<TEvents extends EventMap = Record<string, unknown>>(
  options?: EventBusOptions,
): EventBus<TEvents>;
export function createEventBus(
  options: EventBusOptions & {
    readonly schemas?: SchemaMap;
    readonly registry?: SchemaRegistry<object>;
  } = {},
): EventBus<Record<string, unknown>> {
  const {
    schemas,
    registry,
    workers = 10,
    bufferSize = 1000,
    overflow = 'block',
    scheduler = fifoScheduler,
    maxCausationDepth = 32,
    onError,
    onDrop,
    middleware = [],
  } = checkOptions('createEventBus', options, BUS_CHECKS);
  if (schemas !== undefined && registry !== undefined) {
    throw new InvalidOptionError(
      optionName('createEventBus', 'schemas, registry'),
      'either schemas or registry, not both',
      'both',
    );
  }
  checkScheduler(scheduler);
  const bus = new GossipBus({
    workers,
    bufferSize,
    overflow,
    maxCausationDepth,
    registry: registry ?? (schemas === undefined ? undefined : new SchemaRegistry(schemas)),
    scheduler,
    onError,
    onDrop,
    middleware,
  });
  return bus as unknown as EventBus<Record<string, unknown>>;
}
