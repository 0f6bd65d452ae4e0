import { availableParallelism } from 'node:os';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Tests run from source: the `@gossip/source` export condition points each workspace package at
// its `src/index.ts`, so no build is needed before `pnpm test`. The name is scoped, and the
// condition is left out of the published manifests (`publishConfig.exports`), so that an
// application resolving with a bare `source` condition never reaches gossip's sources.
const conditions = ['@gossip/source', 'import', 'module', 'node', 'default'];
// The browser project resolves as a browser bundler does: `browser`, never `node`.
const browserConditions = ['@gossip/source', 'browser', 'import', 'module', 'default'];
/** A host name for this machine that is not localhost: pages from it are not secure contexts. */
const insecureHost = 'insecure.gossip.test';
/**
 * The guides' code blocks, run (docs/test/run-blocks.test.ts, and the packages' docs tests that
 * run their guide's examples): they start what the guides show, broker connections and real
 * timers among it, and leave it running, so each file gets a process of its own, apart from the
 * unit tests, which share theirs.
 */
const guideBlocks = ['docs/test/run-blocks.test.ts', 'packages/*/test/docs.test.ts'];
/**
 * The transport conformance suite over the memory transport: bridges, buses and redeliveries
 * on real timers for seconds. In a process shared with the unit tests it once timed out on
 * every case in CI (a fresh clone) and passed alone and in two local runs; so it gets a
 * process of its own too.
 */
const realTimeSuites = ['packages/transport/test/conformance.test.ts'];
/**
 * At least two test files at a time: vitest's default, one worker fewer than the cores, runs
 * them one after another on a 2-core machine while its main process mostly waits.
 */
const unitWorkers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@gossip/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
            'docs/test/**/*.test.ts',
          ],
          exclude: [
            '**/*.integration.test.ts',
            '**/node_modules/**',
            ...guideBlocks,
            ...realTimeSuites,
          ],
          setupFiles: ['./vitest.setup.ts'],
          maxWorkers: unitWorkers,
          // One module graph per worker rather than per file: loading zod, TypeScript and the
          // packages once per worker instead of once per file was a third of the suite's time.
          // A test restores what it changes outside itself (timers, globals, process listeners)
          // and leaves nothing running; vitest.setup.ts puts the real timers back after every
          // file in case one does not.
          isolate: false,
          typecheck: {
            enabled: true,
            include: ['packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        // Part of the unit run (`pnpm test`), isolated as vitest isolates by default.
        extends: true,
        test: {
          name: 'unit-blocks',
          include: [...guideBlocks, ...realTimeSuites],
          setupFiles: ['./vitest.setup.ts'],
          maxWorkers: unitWorkers,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.integration.test.ts',
            'examples/*/test/**/*.integration.test.ts',
          ],
          setupFiles: ['./vitest.setup.ts'],
          testTimeout: 20_000,
          // One file at a time: the Redis tests restart the shared server, which would break a
          // file using it beside them (the distributed microservices example).
          fileParallelism: false,
        },
      },
      {
        // Core, filters and priority in headless Chromium (issue 14, section 5): Debian's
        // `chromium` package driven by playwright-core, whose own browser download is not used.
        // The page is served over http://localhost; Chromium counts localhost as a secure
        // context, so the insecure-page path (no crypto.getRandomValues) is proved by stubbing,
        // in packages/core/test/insecure-context.test.ts.
        resolve: { conditions: browserConditions },
        // insecure-context.test.ts loads a page from this host, which Chromium resolves to this
        // machine (--host-resolver-rules below) and, unlike localhost, does not count as secure.
        server: { allowedHosts: [insecureHost] },
        test: {
          name: 'browser',
          include: [
            'packages/core/test/**/*.test.ts',
            'packages/filters/test/**/*.test.ts',
            'packages/priority/test/**/*.test.ts',
          ],
          exclude: [
            '**/*.integration.test.ts',
            '**/node_modules/**',
            // Reads docs/priority.md with node:fs and runs its snippets: a Node-side docs check.
            'packages/priority/test/docs.test.ts',
          ],
          setupFiles: ['./vitest.setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: [
                  '--headless',
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                  `--host-resolver-rules=MAP ${insecureHost} localhost`,
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
