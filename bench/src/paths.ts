import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bench package's folder, found by walking up from this module to the package.json named
 * `@gossip/bench`: the same whether the harness runs from its source (tests) or from the bundle
 * that scripts/run.mjs writes under .generated/.
 */
function findBenchDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === '@gossip/bench') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('bench/package.json (@gossip/bench) not found above the harness');
    dir = parent;
  }
}

/** The bench package's folder. */
export const benchDir: string = findBenchDir();
/** The repository's root folder. */
export const rootDir: string = resolve(benchDir, '..');
