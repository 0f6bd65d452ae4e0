import type { Event } from './event.js';
import type { EventMap, EventType } from './event-map.js';

/**
 * Every pattern that matches the event type `TType`: the name itself, each segment replaced by
 * `*`, and each tail of one or more segments replaced by `**`.
 *
 * Computed once per event type name (TypeScript caches alias instantiations), so the pattern
 * relation of a whole event map costs one pass over its names, not one per subscribe call.
 *
 * @example
 * ```ts
 * type P = PatternsOf<'order.paid'>; // 'order.paid' | 'order.*' | '*.paid' | '*.*' | 'order.**' | '*.**' | '**'
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type PatternsOf<TType extends string> = TType extends `${infer Head}.${infer Tail}`
  ? '**' | `${Head | '*'}.${PatternsOf<Tail>}`
  : TType | '*' | '**';

/**
 * The pattern relation of an event map, computed once: each event type mapped to the patterns
 * that match it. {@link Pattern} and {@link MatchedType} read it.
 *
 * @example
 * ```ts
 * type T = PatternTable<{ 'order.paid': {} }>['order.paid']; // the patterns matching order.paid
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type PatternTable<TEvents extends EventMap> = {
  [K in EventType<TEvents>]: PatternsOf<K>;
};

/**
 * Every pattern that matches at least one event of the map: exact names, `*` for exactly one
 * segment (`order.*`), `**` for one or more trailing segments (`order.**`, or `**` for all).
 * A pattern outside this union matches nothing and does not compile.
 *
 * @example
 * ```ts
 * type P = Pattern<{ 'order.paid': {}; 'order.shipped': {} }>;
 * const ok: P = 'order.*';
 * // @ts-expect-error matches nothing
 * const bad: P = 'user.*';
 * ```
 */
export type Pattern<TEvents extends EventMap> = PatternTable<TEvents>[EventType<TEvents>];

/**
 * The event types of the map that a pattern matches. An exact name is looked up directly; a
 * wildcard pattern is checked against the precomputed relation.
 *
 * @example
 * ```ts
 * type T = MatchedType<{ 'order.paid': {}; 'order.shipped': {}; 'user.created': {} }, 'order.*'>;
 * // 'order.paid' | 'order.shipped'
 * ```
 */
export type MatchedType<TEvents extends EventMap, TPattern extends string> =
  true extends IsOpenMap<TEvents>
    ? string
    : TPattern extends NamesOf<TEvents>
      ? TPattern
      : PatternIndex<TEvents> extends {
            readonly [P in TPattern]: infer TMatched extends NamesOf<TEvents>;
          }
        ? TMatched
        : never;

/**
 * The event type names of a map, as {@link EventType}, but computed once per map: TypeScript
 * caches a conditional type's instantiations by its type arguments, while `keyof` of a map is
 * recomputed (one step per name) each time a type that contains it is instantiated. The types
 * that run once per `subscribe` or `publish` call read the names through this.
 *
 * @example
 * ```ts
 * type N = NamesOf<{ 'a.b': number; 'c.d': string }>; // 'a.b' | 'c.d'
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type NamesOf<TEvents extends EventMap> = [TEvents] extends [unknown]
  ? keyof TEvents & string
  : never;

/**
 * True for a map with a string index signature (`Record<string, unknown>`, the map of a bus
 * created without one): every name is an event, and patterns cannot be checked. Computed once
 * per map, as {@link NamesOf}.
 *
 * @example
 * ```ts
 * type A = IsOpenMap<Record<string, unknown>>; // true
 * type B = IsOpenMap<{ 'a.b': number }>; // false
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type IsOpenMap<TEvents extends EventMap> = [TEvents] extends [unknown]
  ? string extends keyof TEvents
    ? true
    : false
  : never;

/**
 * The pattern relation inverted, built once per event map: every pattern that matches some
 * event, mapped to the union of the events it matches. A subscription's pattern is then one
 * lookup, not a pass over every event of the map.
 *
 * @example
 * ```ts
 * type I = PatternIndex<{ 'order.paid': {}; 'order.shipped': {} }>['order.*'];
 * // 'order.paid' | 'order.shipped'
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type PatternIndex<TEvents extends EventMap> = {
  [K in EventType<TEvents> as PatternsOf<K>]: K;
};

/**
 * The event of an event map with the given type: for a union of types, the union of events,
 * discriminated by `type`, so narrowing `event.type` narrows `event.data`.
 *
 * @example
 * ```ts
 * type E = EventOf<{ 'a.b': number; 'c.d': string }, 'a.b' | 'c.d'>;
 * // Event<'a.b', number> | Event<'c.d', string>
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type EventOf<TEvents extends EventMap, TType extends string> =
  TType extends NamesOf<TEvents> ? Event<TType, TEvents[TType]> : never;

/**
 * The event a handler subscribed with `TPattern` receives: the union of the matched events.
 *
 * @example
 * ```ts
 * bus.subscribe('order.*', (event: PatternEvent<AppEvents, 'order.*'>) => {
 *   if (event.type === 'order.paid') event.data.amount;
 * });
 * ```
 */
export type PatternEvent<TEvents extends EventMap, TPattern extends string> = EventOf<
  TEvents,
  MatchedType<TEvents, TPattern>
>;
