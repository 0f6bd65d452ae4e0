// Run in a child process by with-timeout.test.ts: a bus whose only handler, under a long
// withTimeout, never settles and ignores its signal. Once shutdown has returned nothing of the
// library may keep the process alive, so it must exit on its own, long before the 60 s deadline.
import { createEventBus } from '@gossip/core';
import { withTimeout } from '../../src/index.js';
import type { TestEvents } from '../fixtures.js';

const bus = createEventBus<TestEvents>({ onError: () => {} });
bus.subscribe('order.paid', () => new Promise<void>(() => {}), {
  middleware: [withTimeout(60_000)],
});
await bus.publish('order.paid', { orderId: 'o1', amount: 1 });
const report = await bus.shutdown({ timeout: 50 });
process.stdout.write(`shutdown complete: ${report.complete}\n`);
