// Runs one of the harness's entry points (bench/src/<entry>.ts), compiled by esbuild first.
//
// Why not tsx: tsx compiles with esbuild's `keepNames`, which wraps every function expression
// in a `__name(fn, "name")` call. A library that makes a closure per event (gossip does, for
// each handler's context) then pays an Object.defineProperty per event that no user pays,
// and the profile is dominated by `__name`. So the harness, and @gossip/core from its source
// (the `@gossip/source` export condition), are bundled here as tsup would build them, without
// keepNames; the peers stay external and load from node_modules as users load them.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (entry === undefined || entry.startsWith('-')) {
  process.stderr.write('usage: node scripts/run.mjs <entry under src, without .ts> [args]\n');
  process.exit(2);
}
const outDir = join(benchDir, '.generated', 'run');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${entry.replaceAll('/', '-')}.mjs`);

/** Bundles workspace packages (@gossip/*) and relative imports; leaves other packages external. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@gossip/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: [join(benchDir, 'src', `${entry}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@gossip/source'],
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [externalPackages],
});
// Profiles name the TypeScript sources (packages/core/src/...) through the inline source map.
process.setSourceMapsEnabled(true);
// The entry reads its arguments from process.argv.slice(2), as if run directly.
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
