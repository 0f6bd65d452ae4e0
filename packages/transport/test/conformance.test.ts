import { describeTransportConformance } from '../src/conformance.js';
import { createMemoryTransport } from '../src/index.js';

// The reference run of the suite: every connection of one test reaches the same in-memory
// broker, as every connection to a real server would. ackWait is long enough that a message in
// hand is never given to another consumer while the machine is merely slow (as the NATS run's).
const brokers = new Map<string, ReturnType<typeof createMemoryTransport>>();

describeTransportConformance('memory', {
  create: async ({ namespace }) => {
    const broker = brokers.get(namespace) ?? createMemoryTransport({ ackWait: 3000 });
    brokers.set(namespace, broker);
    return broker.connect();
  },
  capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
  redeliveryTimeout: 3000,
  timeout: 10_000,
});
