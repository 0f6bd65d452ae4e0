import type { Prepared } from './measure.js';

/** The two scenarios every broker runs, raw client against bridge. */
export type ScenarioName = 'publish with ack' | 'consume with ack';

/** A broker's four sides: each sets up (untimed) and returns what to time. */
export interface BrokerBench {
  /** The broker, as the table names it (`NATS JetStream 2.9.10`). */
  readonly name: string;
  readonly rawPublish: (count: number) => Promise<Prepared>;
  readonly bridgePublish: (count: number) => Promise<Prepared>;
  readonly rawConsume: (count: number) => Promise<Prepared>;
  readonly bridgeConsume: (count: number) => Promise<Prepared>;
  /** Bytes stored per message by the raw client and by the bridge: the fairness check. */
  readonly storedBytes: () => Promise<{ raw: number; bridge: number }>;
}

/** The event the bridges carry and the raw clients imitate. */
export const EVENT_TYPE = 'bench.order.placed';

/** The payload of the `i`-th message: the same on both sides. */
export const payloadOf = (i: number): { orderId: string; amount: number } => ({
  orderId: `o${i}`,
  amount: i,
});

/** Every wait of the bench is bounded by this. */
export const TIMEOUT_MS = 120_000;
