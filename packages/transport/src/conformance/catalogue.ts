import { type BusOf, createEventBus, defineEvents, type GossipError } from '@gossip/core';

/**
 * The event catalogue of the suite: typed payloads, validated on receipt.
 *
 * @internal
 */
export const catalogue = defineEvents({
  'conformance.order.placed': schema<OrderPlaced>('an order', isOrderPlaced),
  'conformance.order.cancelled': schema<{ orderId: string; reason: string }>(
    'a cancellation',
    (value): value is { orderId: string; reason: string } =>
      isRecord(value) && typeof value.orderId === 'string' && typeof value.reason === 'string',
  ),
  'conformance.item.counted': schema<{ key: string; seq: number }>(
    'a counted item',
    (value): value is { key: string; seq: number } =>
      isRecord(value) && typeof value.key === 'string' && Number.isInteger(value.seq),
  ),
});

/** The payload of `conformance.order.placed`: nested lines, a non-ASCII string, a null. */
export interface OrderPlaced {
  orderId: string;
  amount: number;
  lines: Array<{ sku: string; quantity: number }>;
  note: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOrderPlaced(value: unknown): value is OrderPlaced {
  return (
    isRecord(value) &&
    typeof value.orderId === 'string' &&
    typeof value.amount === 'number' &&
    (value.note === null || typeof value.note === 'string') &&
    Array.isArray(value.lines) &&
    value.lines.every(
      (line: unknown) =>
        isRecord(line) && typeof line.sku === 'string' && typeof line.quantity === 'number',
    )
  );
}

/** A Standard Schema made of a type guard, so the suite needs no validation library. */
function schema<T>(
  what: string,
  guard: (value: unknown) => value is T,
): {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => { readonly value: T } | { readonly issues: ReadonlyArray<{ readonly message: string }> };
    readonly types?: { readonly input: T; readonly output: T };
  };
} {
  return {
    '~standard': {
      version: 1,
      vendor: 'gossip-conformance',
      validate: (value) =>
        guard(value) ? { value } : { issues: [{ message: `expected ${what}` }] },
    },
  };
}

/** The bus of the suite's catalogue. */
export type ConformanceBus = BusOf<typeof catalogue>;

/** A bus of the catalogue whose reported errors are pushed onto `errors`. */
export function makeBus(errors: GossipError[], workers = 8): ConformanceBus {
  return createEventBus({ schemas: catalogue, workers, onError: (error) => errors.push(error) });
}

/** An order placed, with the same lines and amount each time. */
export const order = (orderId: string): OrderPlaced => ({
  orderId,
  amount: 12.5,
  lines: [{ sku: 'tea-ßü-☕', quantity: 2 }],
  note: null,
});
