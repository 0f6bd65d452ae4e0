import { assertKnownOptions, InvalidOptionError } from '@gossip/core';
import { afterEach, describe } from 'vitest';
import { CAPABILITY_FLAGS } from './capability-flags.js';
import type { ConformanceOptions } from './conformance/conformance-options.js';
import { describeDisruptionCases } from './conformance/disruption-cases.js';
import { describeGuaranteeCases } from './conformance/guarantee-cases.js';
import { suffix, within } from './conformance/helpers.js';
import { describeRedeliveryCases } from './conformance/redelivery-cases.js';
import { describeRoutingCases } from './conformance/routing-cases.js';
import { type Cleanup, type ConformanceSuite, setupTest } from './conformance/suite.js';

export type {
  ConformanceContext,
  ConformanceOptions,
} from './conformance/conformance-options.js';
export { portOpen, recordMessages, sleep, testEnvelope, waitFor } from './test-helpers.js';

/**
 * Declares the transport conformance suite with vitest's `describe` and `it`: the cases every
 * gossip transport must pass against its real broker, modelled on watermill's universal pub/sub
 * tests. The capability flags decide which cases run (de-duplication, ordering); the restart
 * case runs when `restart` is given. Each case is bounded in time (vitest timeouts) and in
 * count, and uses its own namespace and group names (random suffixes), so runs never collide.
 *
 * Cases: round trip of typed payloads through two buses; fan-out to two groups; competing
 * consumers within a group; at-least-once under a handler that fails twice; dead letter after
 * `maxAttempts` with the error; invalid payloads dead-lettered at once; de-duplication of a
 * republished id; per-type order; `messages` messages with exact accounting (published = acked
 * + dead-lettered); close with messages in flight; a consumer that dies mid-batch; broker
 * restart mid-stream.
 *
 * @param name - the transport's name, in the suite's title
 * @param options - how to connect, what the transport can do; see {@link ConformanceOptions}
 * @throws InvalidOptionError, before any case is declared, for options (or `capabilities`) that
 *   are not an object or hold a key that is not an option (a misspelt one)
 *
 * @example
 * ```ts
 * // test/conformance.integration.test.ts of a transport package
 * import { describeTransportConformance } from '@gossip/transport/conformance';
 *
 * describeTransportConformance('memory', {
 *   create: async () => createMemoryTransport(),
 *   capabilities: { persistent: false, deduplication: true, nativeRedelivery: true, ordering: true },
 * });
 * ```
 */
export function describeTransportConformance(name: string, options: ConformanceOptions): void {
  checkConformanceOptions(options);
  const {
    create,
    capabilities,
    restart,
    messages = 2000,
    redeliveryTimeout = 30_000,
    timeout = 20_000,
  } = options;
  const run = suffix();
  let counter = 0;

  describe(`transport conformance: ${name}`, () => {
    /** Clean-ups of the running test, run in reverse order after it, each bounded. */
    let cleanups: Cleanup[] = [];

    afterEach(async () => {
      const pending = cleanups.reverse();
      cleanups = [];
      for (const cleanup of pending) {
        await within(Promise.resolve().then(cleanup), 10_000, 'a clean-up').catch(() => undefined);
      }
    });

    const onCleanup = (cleanup: Cleanup): void => {
      cleanups.push(cleanup);
    };
    const suite: ConformanceSuite = {
      capabilities,
      restart,
      messages,
      redeliveryTimeout,
      timeout,
      setup: () => setupTest(`gossip-conformance-${run}-${++counter}`, create, timeout, onCleanup),
      onCleanup,
    };
    describeRoutingCases(suite);
    describeRedeliveryCases(suite);
    describeGuaranteeCases(suite);
    describeDisruptionCases(suite);
  });
}

/** Every option of describeTransportConformance. */
const KNOWN = [
  'create',
  'capabilities',
  'restart',
  'messages',
  'redeliveryTimeout',
  'timeout',
] as const satisfies readonly (keyof ConformanceOptions)[];

/**
 * Refuses options that are not an object, and keys, of the options or of `capabilities`, that
 * are not one: a misspelt flag would otherwise be read as `false`, and its cases skipped
 * without a word.
 */
function checkConformanceOptions(options: unknown): void {
  const fn = 'describeTransportConformance';
  assertKnownOptions(fn, options, KNOWN);
  const { capabilities } = options as { readonly capabilities?: unknown };
  if (typeof capabilities !== 'object' || capabilities === null)
    throw new InvalidOptionError(
      `${fn}({ capabilities })`,
      'an object of the capability flags the transport declares',
      capabilities,
    );
  assertKnownOptions(fn, capabilities, CAPABILITY_FLAGS, 'capabilities.');
}
