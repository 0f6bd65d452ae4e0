import { InvalidOptionError } from '@gossip/core';
import { describe, expect, it } from 'vitest';
import { type ConformanceOptions, describeTransportConformance } from '../src/conformance.js';
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

// Options are checked before any case is declared, so that these calls declare nothing.
describe('describeTransportConformance', () => {
  const create = async () => createMemoryTransport().connect();
  const capabilities = {
    persistent: false,
    deduplication: true,
    nativeRedelivery: true,
    ordering: true,
  };
  const declare = (options: object) => () =>
    describeTransportConformance('memory', options as ConformanceOptions);

  it('refuses a misspelt option, suggesting the right one', () => {
    expect(declare({ create, capabilities, redeliveryTimout: 3000 })).toThrow(InvalidOptionError);
    expect(declare({ create, capabilities, redeliveryTimout: 3000 })).toThrow(
      'Invalid option "describeTransportConformance({ redeliveryTimout })": expected a known option (did you mean "redeliveryTimeout"?), received 3000.',
    );
  });

  it('refuses a misspelt capability, naming it with its prefix', () => {
    expect(declare({ create, capabilities: { ...capabilities, order: true } })).toThrow(
      'Invalid option "describeTransportConformance({ capabilities.order })": expected a known option (did you mean "capabilities.ordering"?), received true.',
    );
    expect(declare({ create })).toThrow(
      'Invalid option "describeTransportConformance({ capabilities })"',
    );
    expect(declare(null as unknown as object)).toThrow(
      'Invalid option "describeTransportConformance(options)"',
    );
  });
});
