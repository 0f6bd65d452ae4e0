/**
 * The shop's story: six checkouts arrive at once, two of them express. Express orders jump the
 * queue; stock is reserved (through a warehouse API that hangs once and reports a conflict once), payment
 * taken (one card is declined), parcels shipped; emails go out in batches; high-value orders
 * reach analytics. Then the shop closes: the bus drains, the email batcher sends the rest.
 */
import type { BatchReport } from '@gossip/batch';
import { type AnyEvent, MetadataKey, type ShutdownReport } from '@gossip/core';
import { handledLogger, type TraceLogger } from '@gossip/example-trace';
import { withTrace } from '@gossip/middleware';
import { priorityScheduler } from '@gossip/priority';
import { type HighValueOrder, registerAnalytics } from './analytics.js';
import { createShopBus } from './events.js';
import { registerFulfilment } from './fulfilment.js';
import { type Email, FakeMailApi } from './mail-api.js';
import { registerNotifications } from './notifications.js';
import { type CartLine, OrderService, OrderStore } from './orders.js';
import { FakePaymentGateway } from './payment-gateway.js';
import { FakeWarehouse } from './warehouse.js';

/** One published event, as the journal keeps it. */
export interface JournalEntry {
  readonly type: string;
  readonly id: string;
  readonly orderId: string | undefined;
  readonly causationId: string | undefined;
  readonly correlationId: string | undefined;
}

/** What happened, for the test to check. */
export interface ShopDemoResult {
  readonly report: ShutdownReport;
  readonly emailReport: BatchReport;
  /** The order ids, in the order the checkouts were placed. */
  readonly orderIds: ReadonlyArray<string>;
  readonly expressOrderIds: ReadonlyArray<string>;
  /** The order ids in the order the inventory handler took them up. */
  readonly reservationOrder: ReadonlyArray<string>;
  readonly journal: ReadonlyArray<JournalEntry>;
  readonly highValue: ReadonlyArray<HighValueOrder>;
  readonly emailBatches: ReadonlyArray<ReadonlyArray<Email>>;
}

const ada = { id: 'c-ada', email: 'ada@example.com' };
const bob = { id: 'c-bob', email: 'bob@example.com' };
const chen = { id: 'c-chen', email: 'chen@example.com' };
const dana = { id: 'c-dana', email: 'dana@example.com' };

const checkouts: ReadonlyArray<{
  customer: { id: string; email: string };
  items: CartLine[];
  express: boolean;
}> = [
  { customer: ada, items: [{ sku: 'BOOK-TS', quantity: 2, price: 39.5 }], express: false },
  { customer: chen, items: [{ sku: 'LAPTOP-14', quantity: 1, price: 1299 }], express: false },
  { customer: bob, items: [{ sku: 'HEADPHONES', quantity: 1, price: 249 }], express: false },
  { customer: dana, items: [{ sku: 'GPU-4090', quantity: 1, price: 1799 }], express: true },
  {
    customer: ada,
    items: [
      { sku: 'KEYBOARD', quantity: 1, price: 89 },
      { sku: 'MOUSE', quantity: 1, price: 35 },
    ],
    express: false,
  },
  { customer: chen, items: [{ sku: 'USB-C-CABLE', quantity: 3, price: 12.5 }], express: true },
];

/** Runs the story, writing its trace to `logger`. */
export async function run(logger: TraceLogger): Promise<ShopDemoResult> {
  const step = (message: string): void => logger.write({ kind: 'step', message });
  const note = (message: string): void => logger.write({ kind: 'note', message });

  const bus = createShopBus({
    // Two workers, so that a queue forms and priorities show.
    workers: 2,
    scheduler: priorityScheduler(),
    middleware: [withTrace(handledLogger(logger))],
    onError: (error) => note(`reported: ${error.message}`),
  });

  // Every event published on the bus, caused ones included, with its causation ids.
  const journal: JournalEntry[] = [];
  bus.lifecycle.on('publish', (event) => {
    journal.push({
      type: event.type,
      id: event.id,
      orderId: orderIdOf(event),
      causationId: event.metadata[MetadataKey.CausationId],
      correlationId: event.metadata[MetadataKey.CorrelationId],
    });
  });

  const store = new OrderStore();
  const warehouse = new FakeWarehouse({ 'LAPTOP-14': 'hang', KEYBOARD: 'conflict' });
  const mailApi = new FakeMailApi();
  const fulfilment = registerFulfilment(bus, {
    logger,
    store,
    warehouse,
    payments: new FakePaymentGateway({ [bob.id]: 100 }), // bob's card cannot take 249
  });
  const emails = registerNotifications(bus, { logger, store, mailApi });
  const highValue = registerAnalytics(bus, logger);
  const orders = new OrderService(bus, store);

  step(
    `${checkouts.length} checkouts arrive at once; ${checkouts.filter((c) => c.express).length} are express`,
  );
  // Placed together, so all six wait in the bus's buffer and the scheduler picks the order.
  const orderIds = await Promise.all(
    checkouts.map(({ customer, items, express }) => orders.place(customer, items, { express })),
  );
  const expressOrderIds = orderIds.filter((_, i) => checkouts[i]?.express === true);
  note(`placed ${orderIds.join(', ')} (express: ${expressOrderIds.join(', ')})`);

  step('closing the shop: shutdown drains the queue and every event the handlers publish');
  const report = await bus.shutdown({ timeout: 5000 });
  logger.write({ kind: 'report', report });
  step('then the email batcher sends what is left');
  const emailReport = await emails.shutdown();
  note(
    `email batcher: ${emailReport.batches} final batch(es), ${emailReport.events} email(s), ${emailReport.failed.length} failed`,
  );

  step('each order, from its first event to its last (every arrow is a causation id)');
  for (const orderId of orderIds) {
    const events = journal.filter(
      (entry) => entry.orderId === orderId && entry.type !== 'email.requested',
    );
    logger.write({ kind: 'chain', title: orderId, events });
  }

  return {
    report,
    emailReport,
    orderIds,
    expressOrderIds,
    reservationOrder: fulfilment.reservationOrder,
    journal,
    highValue,
    emailBatches: mailApi.calls,
  };
}

/** Every event of the shop carries an order id; the journal reads it without a cast. */
function orderIdOf(event: AnyEvent): string | undefined {
  const { data } = event;
  if (typeof data !== 'object' || data === null || !('orderId' in data)) return undefined;
  return typeof data.orderId === 'string' ? data.orderId : undefined;
}
