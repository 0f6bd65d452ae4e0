import { assertKnownOptions, InvalidOptionError } from '@gossip/core';
import { CAPABILITY_FLAGS } from './capability-flags.js';
import type { TransportCapabilities } from './transport.js';

/**
 * Options of {@link createMemoryTransport}. Every one is checked when the transport is made; a
 * bad value, or a key that is not an option (a misspelt one, in `capabilities` too), throws
 * `InvalidOptionError` at once.
 *
 * @example
 * ```ts
 * const transport = createMemoryTransport({ ackWait: 200, maxInFlight: 8 });
 * ```
 */
export interface MemoryTransportOptions {
  /**
   * The transport's name, in errors.
   * @default 'memory'
   */
  readonly name?: string;
  /**
   * How long an envelope id is remembered: a second publish of it within the window is
   * dropped (when `capabilities.deduplication` is on), as a broker's duplicate window does.
   * @default 120_000
   */
  readonly deduplicationWindow?: number;
  /**
   * How long a delivered message may stay unsettled before it is given to another consumer
   * of its group (its consumer is taken for dead), in milliseconds.
   * @default 30_000
   */
  readonly ackWait?: number;
  /**
   * How many messages one consumer is handed at once.
   * @default 32
   */
  readonly maxInFlight?: number;
  /**
   * What the transport claims, to test a bridge against a weaker broker. `deduplication: false`
   * turns the duplicate window off. The defaults: persistent false (nothing survives the
   * process), deduplication, native redelivery and ordering true.
   */
  readonly capabilities?: Partial<TransportCapabilities>;
}

/** @internal The checked options of a memory broker. */
export interface Settings {
  readonly name: string;
  readonly deduplicationWindow: number;
  readonly ackWait: number;
  readonly maxInFlight: number;
  readonly capabilities: TransportCapabilities;
}

/** Every option of createMemoryTransport. */
const KNOWN = [
  'name',
  'deduplicationWindow',
  'ackWait',
  'maxInFlight',
  'capabilities',
] as const satisfies readonly (keyof MemoryTransportOptions)[];

/**
 * @internal Checks createMemoryTransport's options, their keys (and those of `capabilities`)
 * first, and fills in the defaults.
 */
export function checkOptions(options: MemoryTransportOptions): Settings {
  assertKnownOptions('createMemoryTransport', options, KNOWN);
  const {
    name = 'memory',
    deduplicationWindow = 120_000,
    ackWait = 30_000,
    maxInFlight = 32,
    capabilities = {},
  } = options;
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidOptionError('createMemoryTransport({ name })', 'a non-empty string', name);
  for (const [key, value] of [
    ['deduplicationWindow', deduplicationWindow],
    ['ackWait', ackWait],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647)
      throw new InvalidOptionError(
        `createMemoryTransport({ ${key} })`,
        'a positive delay in ms',
        value,
      );
  }
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new InvalidOptionError(
      'createMemoryTransport({ maxInFlight })',
      'an integer of 1 or more',
      maxInFlight,
    );
  if (typeof capabilities !== 'object' || capabilities === null)
    throw new InvalidOptionError(
      'createMemoryTransport({ capabilities })',
      'an object of capability flags',
      capabilities,
    );
  assertKnownOptions('createMemoryTransport', capabilities, CAPABILITY_FLAGS, 'capabilities.');
  return {
    name,
    deduplicationWindow,
    ackWait,
    maxInFlight,
    capabilities: Object.freeze({
      persistent: false,
      deduplication: true,
      nativeRedelivery: true,
      ordering: true,
      // A flag given as undefined keeps its default.
      ...Object.fromEntries(Object.entries(capabilities).filter(([, on]) => on !== undefined)),
    }),
  };
}
