// Runs in an iframe on http://insecure.gossip.test (see insecure-context.test.ts): a page where
// the secure-context-only APIs (crypto.randomUUID, crypto.subtle, ...) are missing, as on any
// site served over plain http. Publishes through a bus and posts what it saw to the parent.
import { createEventBus, type Event } from '../../src/index.js';

/** What the page posts to its parent. */
export interface InsecurePageReport {
  readonly secureContext: boolean;
  readonly randomUUID: string;
  readonly ids: readonly string[];
  readonly data: readonly unknown[];
  readonly failures: number;
}

async function run(): Promise<InsecurePageReport> {
  const bus = createEventBus<{ 'page.loaded': { n: number } }>();
  const seen: Event[] = [];
  bus.subscribe('page.*', (event) => void seen.push(event));
  await bus.publish('page.loaded', { n: 1 });
  const failures = await bus.publishSync('page.loaded', { n: 2 });
  await bus.shutdown();
  return {
    secureContext: globalThis.isSecureContext,
    randomUUID: typeof (globalThis.crypto as Partial<Crypto> | undefined)?.randomUUID,
    ids: seen.map((event) => event.id),
    data: seen.map((event) => event.data),
    failures: failures.length,
  };
}

run().then(
  (report) => parent.postMessage(report, '*'),
  (error: unknown) => parent.postMessage({ error: String(error) }, '*'),
);
