import type { Transport, TransportCapabilities } from '../transport.js';

/**
 * What the suite tells `create`: a namespace unique to the test (a random suffix, so that runs
 * and tests never share a stream), the same for every `create` call of one test.
 *
 * @example
 * ```ts
 * create: async ({ namespace }) => createNatsTransport({ servers, stream: namespace })
 * ```
 */
export interface ConformanceContext {
  /** Letters, digits and dashes: usable as a stream, key prefix or consumer name. */
  readonly namespace: string;
}

/**
 * Options of {@link describeTransportConformance}.
 *
 * @example
 * ```ts
 * const options: ConformanceOptions = {
 *   create: async () => createMemoryTransport(),
 *   capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
 * };
 * ```
 */
export interface ConformanceOptions {
  /**
   * Opens a new connection to the broker (each call a separate one, as a separate process
   * would), using `context.namespace` for the stream or keys. Every call of one test must reach
   * the same messages and groups.
   */
  readonly create: (context: ConformanceContext) => Promise<Transport>;
  /** What the transport is expected to declare; the cases it lacks are skipped. */
  readonly capabilities: TransportCapabilities;
  /**
   * Stops and starts the broker (and resolves once it is up again): the broker-restart case
   * runs only when it is given.
   */
  readonly restart?: () => Promise<void>;
  /**
   * How many messages the load case publishes.
   * @default 2000
   */
  readonly messages?: number;
  /**
   * How long the broker takes to give a message its consumer never settled to another consumer
   * of the group (NATS `ack_wait`, Redis `XAUTOCLAIM` min idle time), in ms.
   * @default 30_000
   */
  readonly redeliveryTimeout?: number;
  /**
   * The time each case may take at most (the load, dead-consumer and restart cases add to it).
   * @default 20_000
   */
  readonly timeout?: number;
}
