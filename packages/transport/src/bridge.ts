import type { EventBus, EventMap } from '@gossip/core';
import { Incoming } from './bridge-incoming.js';
import { Outgoing } from './bridge-outgoing.js';
import {
  type BridgedBus,
  type BridgeOptions,
  checkOptions,
  type Settings,
} from './bridge-settings.js';
import type { Envelope } from './envelope.js';
import type { Transport, TransportSubscription } from './transport.js';
import { TransportError, TransportErrorCode } from './transport-error.js';

/**
 * A running bridge. `close()` stops forwarding local events, closes the subscription (the
 * transport lets the messages being handled settle, each acked or nacked) and waits for the
 * outgoing publishes already started. It is also `AsyncDisposable`.
 *
 * @example
 * ```ts
 * await using link = bridge(bus, transport, { subscribe: ['user.*'], group: 'billing' });
 * await link.ready;
 * ```
 */
export interface Bridge extends AsyncDisposable {
  /**
   * Resolves once the subscription is in place (at once without `subscribe`); rejects if the
   * transport refused it (the failure is reported through the bus as well).
   */
  readonly ready: Promise<void>;
  /** Stops the bridge; calling it again returns the same promise. */
  close(): Promise<void>;
}

/**
 * Connects a bus to a broker. Local events matching `publish` are encoded into envelopes and
 * published; messages of the broker matching `subscribe` are decoded, validated (and upcast) by
 * `bus.receive()` and handled by the local subscriptions.
 *
 * A message is acknowledged when every handler succeeded, nacked with `backoff` when one
 * failed, and after `maxAttempts` deliveries moved to the dead letters with the last error. A
 * message that cannot be decoded, or that its schema refuses (ValidationError, UpcastError,
 * UnknownEventError), is dead-lettered at once: it would fail the same way every time. A
 * message arriving while the bus shuts down is nacked without delay, for another process of the
 * group, and the bridge closes itself.
 *
 * Failures (a publish the broker refused, a message that could not be settled) are reported
 * through `bus.report()` as {@link TransportError}s, never thrown or left as unhandled
 * rejections. Options are checked at once (InvalidOptionError).
 *
 * Shutdown: close the bridge before `bus.shutdown()` to stop taking messages and let the bus
 * drain what it has, or after; the bridge also closes itself when the bus has shut down.
 *
 * @param bus - the bus to connect
 * @param transport - the broker, such as `@gossip/nats`'s or {@link createMemoryTransport}
 * @param options - what to send and receive; see {@link BridgeOptions}
 * @returns the bridge, with `ready` and `close()`
 *
 * @example
 * ```ts
 * const link = bridge(bus, transport, {
 *   publish: ['order.**'],
 *   subscribe: ['user.*'],
 *   group: 'billing',
 * });
 * await link.ready;
 * // ...
 * await bus.shutdown();
 * await link.close();
 * ```
 */
export function bridge<TEvents extends EventMap, TInputs extends EventMap>(
  bus: EventBus<TEvents, TInputs>,
  transport: Transport,
  options: NoInfer<BridgeOptions<TEvents>>,
): Bridge {
  const settings = checkOptions(bus, transport, options);
  makeDisposable();
  return new BusBridge(bus as unknown as BridgedBus, transport, settings);
}

class BusBridge implements Bridge {
  readonly #bus: BridgedBus;
  readonly #transport: Transport;
  readonly #settings: Settings;
  readonly #outgoing: Outgoing | undefined;
  readonly #incoming: Incoming | undefined;
  readonly #stops: Array<() => void> = [];
  readonly #subscription: Promise<TransportSubscription | undefined>;
  #closing: Promise<void> | undefined;
  readonly ready: Promise<void>;

  constructor(bus: BridgedBus, transport: Transport, settings: Settings) {
    this.#bus = bus;
    this.#transport = transport;
    this.#settings = settings;
    const report = this.#report.bind(this);
    if (settings.publish.length > 0) {
      const outgoing = new Outgoing(transport, settings, report);
      this.#outgoing = outgoing;
      this.#stops.push(
        bus.lifecycle.on('publish', (event) => {
          if (this.#closing === undefined) outgoing.forward(event);
        }),
      );
    }
    if (settings.subscribe.length > 0) {
      this.#incoming = new Incoming(bus, transport, settings, report, () => void this.close());
    }
    this.#stops.push(bus.lifecycle.on('shutdown', () => void this.close()));
    this.#subscription = this.#subscribe(this.#incoming);
    this.ready = this.#subscription.then(() => undefined);
  }

  async #subscribe(incoming: Incoming | undefined): Promise<TransportSubscription | undefined> {
    const { subscribe: patterns, group } = this.#settings;
    if (incoming === undefined) return undefined;
    try {
      return await this.#transport.subscribe({
        group,
        patterns,
        onMessage: incoming.onMessage,
      });
    } catch (cause) {
      this.#report(
        TransportErrorCode.SubscribeFailed,
        undefined,
        `Could not subscribe group "${group}" to ${patterns.join(', ')}; nothing is received. Check the broker and the patterns, then bridge again`,
        cause,
      );
      throw cause;
    }
  }

  #report(
    code: TransportErrorCode,
    envelope: Pick<Envelope, 'id' | 'type'> | undefined,
    message: string,
    cause: unknown,
  ): void {
    this.#bus.report(new TransportError(code, this.#transport.name, envelope, message, { cause }));
  }

  // --- closing --------------------------------------------------------------------------------

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const stop of this.#stops) stop();
    const subscription = await this.#subscription.catch(() => undefined);
    try {
      await subscription?.close();
    } catch (cause) {
      this.#report(
        TransportErrorCode.SubscribeFailed,
        undefined,
        `Could not close the subscription of group "${this.#settings.group}"; the broker redelivers what it had not settled`,
        cause,
      );
    }
    await this.#outgoing?.drained();
    for (const message of this.#incoming?.unsettled() ?? []) {
      this.#report(
        TransportErrorCode.Unsettled,
        message.envelope,
        'The message was neither acked nor nacked when the bridge closed; the broker redelivers it',
        undefined,
      );
    }
  }

  declare readonly [Symbol.asyncDispose]: () => Promise<void>;
}

// Defined on the prototype through the symbol the host has (or the registered one polyfills
// use), read when a bridge is first made, so that importing the package runs no code.
let disposable = false;
function makeDisposable(): void {
  if (disposable) return;
  disposable = true;
  const symbol =
    Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
  Object.defineProperty(BusBridge.prototype, symbol, {
    configurable: true,
    writable: true,
    value(this: BusBridge): Promise<void> {
      return this.close();
    },
  });
}
