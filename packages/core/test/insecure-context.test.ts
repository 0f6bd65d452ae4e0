import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdSource } from '../src/clock.js';
import { createEventBus, type Event } from '../src/index.js';
import { inNode } from './fixtures.js';
import type { InsecurePageReport } from './insecure-page/main.js';

/** The origin mapped to this machine by the browser project's `--host-resolver-rules`. */
const INSECURE_HOST = 'insecure.gossip.test';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Publishes two events through a bus and returns the events delivered. */
async function roundTrip(): Promise<Event[]> {
  const bus = createEventBus<{ 'page.loaded': { n: number } }>();
  const seen: Event[] = [];
  bus.subscribe('page.*', (event) => void seen.push(event));
  await bus.publish('page.loaded', { n: 1 });
  await bus.publishSync('page.loaded', { n: 2 });
  await bus.shutdown();
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

// A page served over plain http (not localhost) is not a secure context: crypto.randomUUID and
// crypto.subtle are missing there, crypto.getRandomValues is not. The bus must need nothing more.
describe('the bus on a page that is not a secure context', () => {
  it('works with a crypto that has getRandomValues only, as on an http:// page', async () => {
    const { getRandomValues } = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: getRandomValues.bind(globalThis.crypto) });
    const seen = await roundTrip();
    expect(seen.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
    for (const event of seen) expect(event.id).toMatch(UUID_V7);
  });

  it('works with crypto.getRandomValues removed, falling back to Math.random', async () => {
    vi.stubGlobal('crypto', undefined);
    const ids = Array.from({ length: 1000 }, createIdSource());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    const seen = await roundTrip();
    expect(seen.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  // Chromium counts http://localhost, where vitest serves the tests, as a secure context, so the
  // stubs above are what prove the fallback there. This test loads the bus in an iframe from
  // http://insecure.gossip.test (mapped to this machine by --host-resolver-rules in
  // vitest.config.ts), a real insecure context. Only in a browser: Node has no pages.
  it.skipIf(inNode)('runs in an iframe served from a plain http:// origin', async () => {
    expect(globalThis.isSecureContext).toBe(true); // localhost: why the iframe is needed
    const origin = `http://${INSECURE_HOST}:${location.port}`;
    const frame = document.createElement('iframe');
    frame.src = `${origin}/packages/core/test/insecure-page/index.html`;
    const report = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no report from ${frame.src}`)), 10_000);
      globalThis.addEventListener('message', function onMessage(message: MessageEvent) {
        if (message.origin !== origin) return;
        clearTimeout(timer);
        globalThis.removeEventListener('message', onMessage);
        resolve(message.data);
      });
    });
    document.body.append(frame);
    try {
      const result = (await report) as InsecurePageReport;
      expect(result).toMatchObject({
        secureContext: false,
        randomUUID: 'undefined',
        data: [{ n: 1 }, { n: 2 }],
        failures: 0,
      });
      for (const id of result.ids) expect(id).toMatch(UUID_V7);
    } finally {
      frame.remove();
    }
  });
});
