import { describeTransportConformance } from '../src/conformance.js';
import { createMemoryTransport } from '../src/index.js';

// The reference run of the suite: every connection of one test reaches the same in-memory
// broker, as every connection to a real server would.
const brokers = new Map<string, ReturnType<typeof createMemoryTransport>>();

describeTransportConformance('memory', {
  create: async ({ namespace }) => {
    const broker = brokers.get(namespace) ?? createMemoryTransport({ ackWait: 300 });
    brokers.set(namespace, broker);
    return broker.connect();
  },
  capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
  redeliveryTimeout: 300,
  timeout: 10_000,
});
