/**
 * A deep partial of a payload, as `expectPublished` matches it: every property optional, at
 * every depth; an array is matched element by element, so it keeps its length; functions and
 * dates are compared whole. A union payload gives a union of partials.
 *
 * @typeParam T - the payload type
 *
 * @example
 * ```ts
 * type Paid = { orderId: string; customer: { id: string; tier: 'gold' | 'basic' } };
 * const expected: DeepPartial<Paid> = { customer: { tier: 'gold' } };
 * ```
 */
export type DeepPartial<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends Date
    ? T
    : T extends readonly (infer TItem)[]
      ? readonly DeepPartial<TItem>[]
      : T extends object
        ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
        : T;
