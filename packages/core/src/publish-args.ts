import type { EventMap } from './event-map.js';
import type { PublishOptions } from './handler.js';
import type { IsOpenMap, NamesOf } from './pattern.js';

/**
 * The arguments after the event type: the payload (optional when the payload type admits
 * `undefined`, so void events take no data), then the options.
 *
 * @example
 * ```ts
 * type A = PublishArgs<{ id: string }, PublishOptions>; // [data: { id: string }, options?: PublishOptions]
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type PublishArgs<TData, TOptions> = undefined extends TData
  ? [data?: TData, options?: TOptions]
  : [data: TData, options?: TOptions];

/**
 * True for a union of two or more types.
 *
 * @example
 * ```ts
 * type A = IsUnion<'a.b' | 'c.d'>; // true
 * type B = IsUnion<'a.b'>; // false
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * What the compiler says where a union of event types is given to `publish` (a variable typed
 * `'a' | 'b'`): the payload could not be checked against the one type the event will have at
 * run time. Appears as the parameter's type in the error, so the error reads as a sentence.
 *
 * @example
 * ```ts
 * const type = 'order.paid' as 'order.paid' | 'user.created';
 * // Argument of type '"order.paid" | "user.created"' is not assignable to parameter of type
 * // '"gossip: publish one event type at a time, not a union"'.
 * bus.publish(type, data);
 * ```
 */
export type PublishUnionMessage = 'gossip: publish one event type at a time, not a union';

/**
 * The event type parameter of publish: a name of the map; for a misspelt name, the names of
 * the map, so the error lists them; for a union of names (on a map without an index
 * signature), {@link PublishUnionMessage}, so the error says what is wrong.
 *
 * @example
 * ```ts
 * type T = CheckedType<{ 'a.b': number; 'c.d': string }, 'a.x'>; // 'a.b' | 'c.d'
 * type U = CheckedType<{ 'a.b': number; 'c.d': string }, 'a.b' | 'c.d'>; // PublishUnionMessage
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type CheckedType<TInputs extends EventMap, TType extends string> = [TType] extends [
  NamesOf<TInputs>,
]
  ? true extends IsUnion<TType>
    ? true extends IsOpenMap<TInputs>
      ? TType
      : PublishUnionMessage
    : TType
  : NamesOf<TInputs>;

/**
 * The arguments of publish after the event type: the payload of that type (optional when it
 * admits `undefined`, so void events take no data), then the options. A union of event types
 * (a variable typed `'a' | 'b'`) gets none, so it does not compile: its payload could not be
 * checked against the type it will have at run time. A bus without an event map takes any
 * payload.
 *
 * A misspelt type gets `unknown` here: the type argument reports it. Keeping this branch wide
 * also keeps the compiler from typing the payload against every payload of the map while it
 * infers the event type (one union of N payloads per call).
 *
 * @typeParam TAll - the whole type argument, so a union is seen while `TType` distributes
 *
 * @example
 * ```ts
 * type A = ArgsFor<{ 'a.b': { n: number } }, 'a.b', PublishOptions>; // [data: { n: number }, options?: PublishOptions]
 * ```
 *
 * @internal A type-level helper of the bus's own types; users do not write it.
 */
export type ArgsFor<
  TInputs extends EventMap,
  TType extends string,
  TOptions,
  TAll extends string = TType,
> =
  TType extends NamesOf<TInputs>
    ? true extends IsUnion<TAll>
      ? true extends IsOpenMap<TInputs>
        ? PublishArgs<TInputs[TType], TOptions>
        : [data: never, options?: TOptions]
      : PublishArgs<TInputs[TType], TOptions>
    : [data?: unknown, options?: TOptions];

/**
 * The typed `publish` of a bus: the event type must be a name of the map and the payload its
 * payload type.
 *
 * @typeParam TEvents - the event map, as handlers receive the payloads
 * @typeParam TInputs - the payloads publish accepts (schema inputs; the same names)
 *
 * @example
 * ```ts
 * const publish: TypedPublish<AppEvents> = bus.publish;
 * ```
 */
export type TypedPublish<TEvents extends EventMap, TInputs extends EventMap = TEvents> = <
  TType extends string,
>(
  type: CheckedType<TInputs, TType>,
  ...args: ArgsFor<TInputs, TType, PublishOptions>
) => Promise<void>;
