import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

const OUT_DIR = 'dist';

/**
 * Keeps one `//# sourceMappingURL=` comment at the end of each built script. With `treeshake`,
 * tsup runs esbuild's output through rollup, whose output already ends with the comment, and then
 * appends its own, so every file ended with two. The rollup pass is kept for what it does (one
 * merged import per package instead of esbuild's import per source file).
 */
async function dropRepeatedSourceMapComments(): Promise<void> {
  for (const file of await readdir(OUT_DIR)) {
    if (!/\.(c|m)?js$/.test(file)) continue;
    const path = join(OUT_DIR, file);
    const code = await readFile(path, 'utf8');
    const single = code.replace(/(\/\/# sourceMappingURL=\S+\n?)+$/, (comments) => {
      const last = comments.trimEnd().split('\n').at(-1) ?? '';
      return comments.endsWith('\n') ? `${last}\n` : last;
    });
    if (single !== code) await writeFile(path, single);
  }
}

// The build every package shares: ESM and CJS with declarations for each, from src/index.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  outDir: OUT_DIR,
  format: ['esm', 'cjs'],
  dts: {
    // The declarations name `Disposable` and `AsyncDisposable` (an unsubscribe is disposable, a
    // stream async-disposable), which only the `esnext.disposable` lib declares. Referenced here,
    // an application type-checks them with its own `lib` (ES2022 and DOM for a browser app,
    // without @types/node) and `skipLibCheck: false`. (The lib exists since TypeScript 5.2; the
    // declarations as a whole need 5.6, for `AsyncIterableIterator<T, TReturn>`.)
    // No declaration maps: tsup's bundled declarations cannot emit them, and they would point
    // at `src/`, which the packages do not publish.
    banner: '/// <reference lib="esnext.disposable" />',
  },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
  onSuccess: dropRepeatedSourceMapComments,
});
