import type { DeadLetterReason, Transport, TransportMessage } from '../transport.js';

/** What happened to the messages of one test, per event id, across every connection. */
export interface Ledger {
  readonly acked: Map<string, number>;
  readonly nacked: Map<string, number>;
  readonly termed: Map<string, number>;
  readonly deadLettered: Map<string, DeadLetterReason[]>;
  delivered: number;
  settled: number;
}

/** An empty ledger. */
export function newLedger(): Ledger {
  return {
    acked: new Map(),
    nacked: new Map(),
    termed: new Map(),
    deadLettered: new Map(),
    delivered: 0,
    settled: 0,
  };
}

/** Counts one more for `id`. */
export function bump(map: Map<string, number>, id: string): void {
  map.set(id, (map.get(id) ?? 0) + 1);
}

/** Wraps a transport so that every settle and dead letter is written in the ledger. */
export function instrument(transport: Transport, ledger: Ledger): Transport {
  const wrap = (message: TransportMessage): TransportMessage => {
    const { id } = message.envelope;
    return {
      envelope: message.envelope,
      attempt: message.attempt,
      ack: async () => {
        await message.ack();
        ledger.settled += 1;
        bump(ledger.acked, id);
      },
      nack: async (delayMs?: number) => {
        await message.nack(delayMs);
        ledger.settled += 1;
        bump(ledger.nacked, id);
      },
      term: async () => {
        await message.term();
        ledger.settled += 1;
        bump(ledger.termed, id);
      },
    };
  };
  const publishBatch = transport.publishBatch?.bind(transport);
  return {
    name: transport.name,
    capabilities: transport.capabilities,
    publish: (envelope) => transport.publish(envelope),
    // Kept when the transport has it: a bridge then publishes through it, and the cases with it.
    ...(publishBatch === undefined ? {} : { publishBatch }),
    deadLetter: async (envelope, reason) => {
      await transport.deadLetter(envelope, reason);
      const reasons = ledger.deadLettered.get(envelope.id) ?? [];
      reasons.push(reason);
      ledger.deadLettered.set(envelope.id, reasons);
    },
    subscribe: (request) =>
      transport.subscribe({
        ...request,
        onMessage: (message) => {
          ledger.delivered += 1;
          return request.onMessage(wrap(message));
        },
      }),
    close: () => transport.close(),
  };
}
