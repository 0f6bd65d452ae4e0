/**
 * The story: `order.placed` evolves through three versions, a fourth that would break v3's
 * readers is refused, and the payloads a v1 producer stored are replayed through `receive()`
 * to a handler written for v3.
 */
import { createEventBus, MetadataKey, type ShutdownReport } from '@gossip/core';
import { check, IncompatibleSchemaError } from '@gossip/registry';
import { z } from 'zod';
import { compatibility, createRegistry, type placedV3 } from './events.js';

/** What happened, for the test to check. */
export interface EvolutionResult {
  /** The versions of `order.placed` once registered. */
  readonly versions: readonly number[];
  /** The refused change's error. */
  readonly refused: IncompatibleSchemaError | undefined;
  /** What the v3 handler received, in order. */
  readonly handled: ReadonlyArray<z.output<typeof placedV3>>;
  /** The version each handled event says it is. */
  readonly stamps: ReadonlyArray<string | undefined>;
  /** The bus's report at shutdown. */
  readonly report: ShutdownReport;
}

/** What a producer still on v1 stored last week: the payloads, as JSON, with their version. */
const stored = [
  { version: '1', json: '{"orderId":"o-1","amount":12.5}' },
  { version: '1', json: '{"orderId":"o-2","amount":40}' },
  { version: '2', json: '{"orderId":"o-3","amount":9,"currency":"USD"}' },
];

/** Runs the story, printing each step with `print`. */
export async function run(print: (line: string) => void): Promise<EvolutionResult> {
  const registry = createRegistry();
  print(`order.placed has versions ${registry.versions('order.placed').join(', ')}`);

  // A change that moves `amount` into a `total` object: v3 events have no `total`, so a v4
  // reader could not read them. check() says so without registering; register() refuses it.
  const placedV4 = z.object({
    orderId: z.string(),
    total: z.object({ value: z.number(), currency: z.enum(['EUR', 'USD']) }),
  });
  for (const difference of check(registry, 'order.placed', placedV4, compatibility)) {
    print(`check: ${difference.message}`);
  }
  let refused: IncompatibleSchemaError | undefined;
  try {
    registry.register('order.placed', placedV4);
  } catch (error) {
    if (!(error instanceof IncompatibleSchemaError)) throw error;
    refused = error;
    print(`refused: ${error.message}`);
  }
  print(`order.placed still has versions ${registry.versions('order.placed').join(', ')}`);

  const bus = createEventBus({ registry });
  const handled: Array<z.output<typeof placedV3>> = [];
  const stamps: Array<string | undefined> = [];
  // Written for v3: it reads `currency` and `lines`, which v1 payloads never had.
  bus.subscribe(
    'order.placed',
    (event) => {
      const { orderId, amount, currency, lines } = event.data;
      handled.push(event.data);
      stamps.push(event.metadata[MetadataKey.SchemaVersion]);
      print(
        `v3 handler: ${orderId} ${amount} ${currency}, ${lines.length} line${lines.length === 1 ? '' : 's'} (stamped v${event.metadata[MetadataKey.SchemaVersion]})`,
      );
    },
    { name: 'v3-handler' },
  );

  for (const { version, json } of stored) {
    print(`replaying a v${version} payload: ${json}`);
    await bus.receive({
      type: 'order.placed',
      data: JSON.parse(json),
      metadata: { [MetadataKey.SchemaVersion]: version },
    });
  }
  // Today's producers publish v3 directly.
  await bus.publish('order.placed', {
    orderId: 'o-4',
    amount: 30,
    currency: 'EUR',
    lines: [{ sku: 'tea', quantity: 2 }],
  });
  const report = await bus.shutdown();
  print(`shutdown: ${report.delivered} delivered, ${report.failed} failed`);
  return { versions: registry.versions('order.placed'), refused, handled, stamps, report };
}
