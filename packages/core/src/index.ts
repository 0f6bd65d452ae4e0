/**
 * A strongly-typed event bus: event maps from schemas, compile-time checked publish and subscribe,
 * run-time validation, bounded asynchronous dispatch.
 *
 * The guide: docs/core.md in the repository.
 *
 * @packageDocumentation
 */
export { MAX_DELAY } from './assert.js';
export type { BusHandler } from './bus-handler.js';
export type { BusOf } from './bus-of.js';
export { priorityValue } from './bus-options.js';
export { assertKnownOptions } from './check-options.js';
export type { CompatibilityCheck } from './compatibility-check.js';
export { createEventBus, type EventBusOptions } from './create-event-bus.js';
export type { GossipErrorCode, ValidationIssue } from './errors.js';
export {
  AsyncSchemaError,
  BufferFullError,
  BusClosedError,
  ErrorCode,
  EventDroppedError,
  GossipError,
  HandlerError,
  InvalidOptionError,
  LoopDetectedError,
  SchedulerError,
  TimeoutError,
  UnknownEventError,
  UnmatchedPatternError,
  UpcastError,
  ValidationError,
} from './errors.js';
export type { AnyEvent, Event, Metadata } from './event.js';
export { MetadataKey } from './event.js';
export type { EventBus } from './event-bus.js';
export type {
  EventMap,
  EventType,
  InferEventInputs,
  InferEventMap,
  SchemaInput,
  SchemaMap,
  SchemaOutput,
} from './event-map.js';
export { defineEvents } from './event-map.js';
export { Fifo, type FifoEntry } from './fifo.js';
export type {
  Filter,
  Handler,
  HandlerContext,
  Middleware,
  Priority,
  PublishFn,
  PublishOptions,
  SubscribeOptions,
  Unsubscribe,
} from './handler.js';
export type { IncomingEvent } from './incoming-event.js';
export type {
  DropReason,
  Lifecycle,
  LifecycleEvents,
  SubscriptionChange,
} from './lifecycle.js';
export { onAbort } from './on-abort.js';
export type { OnceOptions } from './once-options.js';
export { optionName } from './option-name.js';
export type { OverflowPolicy } from './overflow-policy.js';
export type {
  EventOf,
  IsOpenMap,
  MatchedType,
  NamesOf,
  Pattern,
  PatternEvent,
  PatternIndex,
  PatternsOf,
  PatternTable,
} from './pattern.js';
export { compilePattern, isWildcard } from './pattern-matcher.js';
export type {
  ArgsFor,
  CheckedType,
  IsUnion,
  PublishArgs,
  PublishUnionMessage,
  TypedPublish,
} from './publish-args.js';
export type { PublishSyncOptions } from './publish-sync.js';
export type { ReceiveResult } from './receive-result.js';
export type { RegisterOptions, TypedRegisterOptions } from './register-options.js';
export type { RegisteredSchema } from './registered-schema.js';
export type { ScheduledEvent, Scheduler, SchedulerFactory } from './scheduler.js';
export { fifoScheduler } from './scheduler.js';
export { SchemaRegistry, type SchemaRegistryOptions } from './schema-registry.js';
export type { ShutdownReport, Undelivered } from './shutdown-report.js';
export type { BusStats, EventCounters } from './stats.js';
export type { EventStream } from './stream.js';
export type { StreamOptions } from './stream-options.js';
export type { SubscriptionInfo } from './subscription-info.js';
export type { ValidationResult } from './validation-result.js';
export type { Upcaster, VersionStep, Versions } from './versions.js';
export { versions } from './versions.js';
