import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from '../src/fresh-build.js';
import { benchDir, rootDir } from '../src/paths.js';

/** An app that takes only `defineEvents` (and types) from @gossip/core. */
const ENTRY = `import { defineEvents } from '@gossip/core';
import type { EventMap, InferEventMap } from '@gossip/core';

export const events = defineEvents({});
export type Events = InferEventMap<typeof events>;
export type Loose = EventMap;
export { defineEvents };
`;

/** Names that only the bus's own code contains: any of them in the bundle means bus code came along. */
const BUS_CODE = [
  'Dispatcher',
  'publishSync',
  'createEventBus',
  'GossipBus',
  'BufferedStream',
  'EventEmitter',
];

/** The most `defineEvents` alone may weigh, minified (it is an identity function). */
const MAX_MINIFIED = 256;

interface Bundle {
  /** The bundle, not minified, so that the names of what came along can be read. */
  readonly code: string;
  readonly minifiedBytes: number;
  /** The files that put code into the bundle besides the entry, relative to the repository. */
  readonly inputs: readonly string[];
}

/**
 * Bundles ENTRY as an application's bundler would (esbuild, ESM, for the browser), with
 * @gossip/core resolved to its source (`@gossip/source` export condition) or to its built dist.
 */
async function bundle(core: 'source' | 'dist'): Promise<Bundle> {
  const options = {
    stdin: { contents: ENTRY, resolveDir: benchDir, loader: 'ts' as const },
    bundle: true,
    format: 'esm' as const,
    platform: 'browser' as const,
    target: 'es2022',
    conditions: core === 'source' ? ['@gossip/source'] : [],
    write: false,
    logLevel: 'silent' as const,
  };
  const plain = await build({ ...options, metafile: true });
  const minified = await build({ ...options, minify: true });
  const output = Object.values(plain.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([path, input]) => path !== '<stdin>' && input.bytesInOutput > 0)
    .map(([path]) => path.replace(/^(\.\.\/)+/, ''));
  return {
    code: plain.outputFiles?.[0]?.text ?? '',
    minifiedBytes: minified.outputFiles?.[0]?.contents.length ?? Number.POSITIVE_INFINITY,
    inputs,
  };
}

function expectOnlyDefineEvents(result: Bundle, from: string): void {
  expect(result.inputs).toEqual([from]);
  for (const name of BUS_CODE) expect(result.code).not.toContain(name);
  expect(result.minifiedBytes).toBeLessThan(MAX_MINIFIED);
}

// As zod's tree-shaking test does: importing one function must not pull in the rest.
describe('tree-shaking @gossip/core', () => {
  it('bundles defineEvents alone, without bus code, from the source entry', async () => {
    expectOnlyDefineEvents(await bundle('source'), 'packages/core/src/event-map.ts');
  });

  describe('from the built entry, as an application installing the package bundles it', () => {
    beforeAll(() => {
      const built = buildIfStale('@gossip/core', join(rootDir, 'packages', 'core'), () => {});
      if (!built) throw new Error('building @gossip/core failed: run `pnpm build`');
    }, 120_000);

    // dist/index.js is one module, so a bundler keeps whatever of it runs at load: core keeps
    // nothing at its top level that runs code (constants are /* @__PURE__ */, the clock and the
    // dispose symbols are read when first used).
    it('bundles defineEvents alone, without bus code', async () => {
      expectOnlyDefineEvents(await bundle('dist'), 'packages/core/dist/index.js');
    });
  });
});
