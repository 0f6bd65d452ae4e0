/**
 * Metadata carried by an event: string keys and string values, so that it travels unchanged
 * as message headers when the bus is bridged to a broker.
 *
 * The bus keeps a frozen plain copy of the own string keys it is given (Symbol keys are
 * dropped; a `__proto__` key stays an ordinary key), so it can be spread into new metadata.
 * Test a key with `Object.hasOwn(metadata, key)`: `metadata.constructor` is inherited.
 *
 * @example
 * ```ts
 * await bus.publish('user.created', data, { metadata: { requestId: 'r1', source: 'api' } });
 * ```
 */
export type Metadata = Readonly<Record<string, string>>;

/**
 * The metadata keys gossip itself writes. Events published from a handler through `ctx.publish`
 * carry the id of the event that caused them, the id of the first event of the chain, and the
 * chain's depth. Events that arrived through `bus.receive()` (from a broker) carry
 * `gossip.origin: 'remote'`. On a bus with schemas every event carries the number of its
 * type's latest schema version as `gossip.schemaVersion` (`'1'`, `'2'`, ...): a received event
 * of an older version is upcast to the latest before dispatch.
 *
 * @example
 * ```ts
 * bus.subscribe('order.paid', (event) => {
 *   logger.info(event.metadata[MetadataKey.CausationId]);
 * });
 * ```
 */
export const MetadataKey = {
  CausationId: 'causationId',
  CorrelationId: 'correlationId',
  CausationDepth: 'causationDepth',
  Origin: 'gossip.origin',
  SchemaVersion: 'gossip.schemaVersion',
} as const;

/**
 * One event: an immutable record of something that happened.
 *
 * @typeParam TType - the event's type, a name such as `'user.created'`
 * @typeParam TData - the payload's type
 *
 * @example
 * ```ts
 * bus.subscribe('user.created', (event) => {
 *   event.type; // 'user.created'
 *   event.data.email; // string
 * });
 * ```
 */
export interface Event<TType extends string = string, TData = unknown> {
  /** A unique id, also the de-duplication key when the event crosses a broker. */
  readonly id: string;
  /** The event's type, one of the names of the event map. */
  readonly type: TType;
  /** When the event was published, in milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** The payload, validated against the type's schema where the bus has one. */
  readonly data: TData;
  /** String metadata given at publish, plus causation keys for events published by handlers. */
  readonly metadata: Metadata;
}

/**
 * Any event, whatever its type and payload.
 *
 * @example
 * ```ts
 * const log = (event: AnyEvent) => logger.info(event.type, event.id);
 * ```
 */
export type AnyEvent = Event<string, unknown>;
