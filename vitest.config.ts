import { defineConfig } from 'vitest/config';

// Tests run from source: the `@gossip/source` export condition points each workspace package at
// its `src/index.ts`, so no build is needed before `pnpm test`. The name is scoped, and the
// condition is left out of the published manifests (`publishConfig.exports`), so that an
// application resolving with a bare `source` condition never reaches gossip's sources.
const conditions = ['@gossip/source', 'import', 'module', 'node', 'default'];

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
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          setupFiles: ['./vitest.setup.ts'],
          typecheck: {
            enabled: true,
            include: ['packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.integration.test.ts'],
          setupFiles: ['./vitest.setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
