import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { portOpen } from '../../packages/transport/src/test-helpers.js';
import { NOT_RUN, writeGuideBlocks } from './doc-blocks.js';

// Every ```ts block of README.md and docs/*.md is run, not only type-checked (snippets.test.ts
// does that): a block that throws, rejects, or leaves a rejection nobody handles fails here. A
// block that cannot run on its own (it waits for a signal, needs a database) says so on a line
// of its own: `// not run: <why>`. A block that imports a broker's transport runs where that
// broker is up (CI starts it first) and is skipped, saying so, where it is not.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const guides = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The services a block may connect to, by the package it imports; it runs where they are up. */
const SERVICES = [
  { package: '@gossip/redis', name: 'Redis', port: 6379 },
  { package: '@gossip/nats', name: 'NATS', port: 4222 },
] as const;

const down = new Map<string, string>();
for (const service of SERVICES) {
  if (!(await portOpen(service.port, 1000))) {
    down.set(
      service.package,
      `needs ${service.name} on 127.0.0.1:${String(service.port)}: start it with bash .ci/services.sh`,
    );
  }
}

/** Why a block cannot run here: a service it imports the client of is not running. */
function missingService(code: string): string | undefined {
  for (const [name, why] of down) if (code.includes(`'${name}'`)) return why;
  return undefined;
}

/** How long one block may take; the slowest waits on a retry's or a batch's timers. */
const BLOCK_TIMEOUT = 15_000;

const signals = ['SIGINT', 'SIGTERM'] as const;
const out = join(here, '.run');
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

afterEach(() => {
  vi.useRealTimers();
});

for (const guide of guides) {
  const blocks = writeGuideBlocks(guide, join(out, guide.replace(/[/.]/g, '_')));
  if (blocks.length === 0) continue;
  describe(guide, () => {
    for (const block of blocks) {
      const title = `runs the block at line ${String(block.line)}`;
      if (NOT_RUN.test(block.code)) {
        it.skip(`${title} (${NOT_RUN.exec(block.code)?.[0].trim() ?? 'not run'})`);
        continue;
      }
      const missing = missingService(block.code);
      if (missing !== undefined) {
        it.skip(`${title} (${missing})`);
        continue;
      }
      it(
        title,
        async () => {
          // The blocks print what they show; what they print is theirs, not a stray call.
          for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
            vi.spyOn(console, method).mockImplementation(() => {});
          }
          // A block that shuts down on SIGTERM keeps its listener to itself, not in the runner.
          const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
          // An interval a block starts (sampling stats, say) stops with it: it would tick, and
          // print, into the tests that run after it in the same process.
          const intervals: Array<ReturnType<typeof setInterval>> = [];
          const startInterval = globalThis.setInterval;
          vi.spyOn(globalThis, 'setInterval').mockImplementation(((
            ...args: Parameters<typeof setInterval>
          ) => {
            const interval = startInterval(...args);
            intervals.push(interval);
            return interval;
          }) as typeof setInterval);
          try {
            await import(/* @vite-ignore */ block.file);
          } finally {
            for (const interval of intervals) clearInterval(interval);
            for (const signal of signals) {
              for (const listener of process.listeners(signal)) {
                if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
              }
            }
          }
        },
        BLOCK_TIMEOUT,
      );
    }
  });
}

describe('the block runner', () => {
  it('skips a block marked "// not run: <why>", and only that', () => {
    expect(NOT_RUN.test('// not run: needs a database\nawait db.connect();')).toBe(true);
    expect(NOT_RUN.test('await db.connect(); // this is not run: ever')).toBe(false);
    expect(NOT_RUN.test("console.log('// not run: a string')")).toBe(false);
  });

  it('finds blocks in the guides', () => {
    const count = guides.reduce(
      (sum, guide) => sum + writeGuideBlocks(guide, join(out, 'count')).length,
      0,
    );
    expect(count).toBeGreaterThan(50);
  });
});
