import { defineConfig } from 'tsup';

// A command line runs on Node only: ESM, and the bin's entry keeps its shebang (tsup marks it
// executable).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  // The same lib reference as every package's declarations (see tsup.base.ts).
  dts: { entry: 'src/index.ts', banner: '/// <reference lib="esnext.disposable" />' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // No rollup pass (tsup's treeshake): it would add a second source map comment to each file.
  treeshake: false,
});
