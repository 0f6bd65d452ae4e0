import { defineConfig } from 'tsup';

// A command line runs on Node only: ESM, and the bin's entry keeps its shebang (tsup marks it
// executable).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
});
