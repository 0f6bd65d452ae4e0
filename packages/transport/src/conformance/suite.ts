import type { GossipError, InferEventMap } from '@gossip/core';
import { type Bridge, bridge } from '../bridge.js';
import type { BridgeOptions } from '../bridge-settings.js';
import type { Transport, TransportCapabilities } from '../transport.js';
import { TransportError } from '../transport-error.js';
import { type ConformanceBus, type catalogue, makeBus } from './catalogue.js';
import type { ConformanceOptions } from './conformance-options.js';
import { suffix, within } from './helpers.js';
import { instrument, type Ledger, newLedger } from './ledger.js';

/** A clean-up of a test: closes or releases what the test opened. */
export type Cleanup = () => Promise<unknown> | unknown;

/** What each group of cases is given: the suite's settings, and the resources of a test. */
export interface ConformanceSuite {
  /** What the transport is expected to declare. */
  readonly capabilities: TransportCapabilities;
  /** Restarts the broker, when the suite was given a way to. */
  readonly restart: (() => Promise<void>) | undefined;
  /** How many messages the load case publishes. */
  readonly messages: number;
  /** How long the broker takes to hand a message never settled to another consumer, in ms. */
  readonly redeliveryTimeout: number;
  /** The time a case may take at most, in ms. */
  readonly timeout: number;
  /** Opens the resources of one test, closed after it. */
  readonly setup: () => ConformanceTest;
  /** Runs `cleanup` after the running test. */
  readonly onCleanup: (cleanup: Cleanup) => void;
}

/** The resources of one test: connections, buses, bridges, all closed after it. */
export interface ConformanceTest {
  /** The test's namespace, shared by its connections. */
  readonly namespace: string;
  /** What happened to the test's messages, across its connections. */
  readonly ledger: Ledger;
  /** The errors the test's buses reported. */
  readonly errors: GossipError[];
  /** Opens a connection to the broker, written in the ledger. */
  readonly connect: () => Promise<Transport>;
  /** A bus of the catalogue. */
  readonly bus: (workers?: number) => ConformanceBus;
  /** Bridges a bus to a connection, once its subscription is ready. */
  readonly link: (
    on: ConformanceBus,
    transport: Transport,
    linkOptions: BridgeOptions<InferEventMap<typeof catalogue>>,
  ) => Promise<Bridge>;
  /** A consumer group's name of its own, starting with `role`. */
  readonly group: (role: string) => string;
  /** The TransportErrors among the reported errors. */
  readonly transportErrors: () => GossipError[];
  /** The connections opened, unwrapped. */
  readonly transports: Transport[];
}

/**
 * Opens the resources of one test in `namespace`: `create` makes each connection, and every
 * resource is handed to `onCleanup` to close after the test.
 */
export function setupTest(
  namespace: string,
  create: ConformanceOptions['create'],
  timeout: number,
  onCleanup: (cleanup: Cleanup) => void,
): ConformanceTest {
  const ledger = newLedger();
  const errors: GossipError[] = [];
  const transports: Transport[] = [];
  const connect = async (): Promise<Transport> => {
    const transport = await create({ namespace });
    transports.push(transport);
    onCleanup(() => transport.close());
    return instrument(transport, ledger);
  };
  const bus = (workers?: number): ConformanceBus => {
    const made = makeBus(errors, workers);
    onCleanup(() => made.shutdown({ timeout: 1000 }));
    return made;
  };
  const link = async (
    on: ConformanceBus,
    transport: Transport,
    linkOptions: BridgeOptions<InferEventMap<typeof catalogue>>,
  ): Promise<Bridge> => {
    const made = bridge(on, transport, linkOptions);
    onCleanup(() => made.close());
    await within(made.ready, timeout, 'the subscription');
    return made;
  };
  const group = (role: string): string => `${role}-${suffix()}`;
  const transportErrors = (): GossipError[] =>
    errors.filter((error) => error instanceof TransportError);
  return { namespace, ledger, errors, connect, bus, link, group, transportErrors, transports };
}
