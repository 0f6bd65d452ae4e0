import { defineConfig } from 'tsup';

// The build every package shares: ESM and CJS with declarations for each, from src/index.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
});
