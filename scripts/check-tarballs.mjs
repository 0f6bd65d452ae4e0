// `pnpm check:tarballs` (CI runs it after the build): the packages as a user gets them.
//
// Packs every package with pnpm (as `pnpm publish` would: `publishConfig` applied, `workspace:`
// ranges rewritten), checks what each tarball holds, installs the tarballs with plain npm into a
// fresh project outside the monorepo (zod and core's dependencies come from the registry), and
// runs one program that uses all five packages under Node ESM, Node CJS and an esbuild browser
// bundle, and bundles each package's whole entry for the browser (no Node built-ins). Then it type-checks a TypeScript consumer as a browser app would: lib ES2022 and DOM,
// no @types/node, strict, `skipLibCheck: false`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(root, 'package.json'));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packageDirs = readdirSync(join(root, 'packages')).sort();
/** Packages made for Node alone (a command line, broker clients over TCP), left out of the browser bundles. */
const NODE_ONLY = new Set(['cli', 'nats', 'redis']);
const keep = process.argv.includes('--keep');

const problems = [];
function check(condition, message) {
  if (!condition) problems.push(message);
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function step(title) {
  process.stdout.write(`-- ${title}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'gossip-tarballs-'));
const packs = join(work, 'packs');
const app = join(work, 'app');
mkdirSync(packs);
mkdirSync(app);

try {
  step(`pnpm pack ${packageDirs.join(', ')}`);
  const tarballs = [];
  for (const dir of packageDirs) {
    const before = new Set(readdirSync(packs));
    run('pnpm', ['pack', '--pack-destination', packs], join(root, 'packages', dir));
    const made = readdirSync(packs).find((file) => !before.has(file));
    if (made === undefined) throw new Error(`pnpm pack made no tarball for packages/${dir}`);
    tarballs.push({ dir, path: join(packs, made) });
  }

  step('what each tarball holds');
  for (const { dir, path } of tarballs) {
    const files = run('tar', ['-tzf', path], packs)
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, ''));
    const read = (file) => run('tar', ['-xzOf', path, `package/${file}`], packs);
    const where = `packages/${dir}`;
    check(!files.some((file) => file.startsWith('src/')), `${where}: the tarball holds src/`);
    for (const file of ['package.json', 'README.md', 'LICENSE']) {
      check(files.includes(file), `${where}: the tarball has no ${file}`);
    }
    if (files.includes('LICENSE')) {
      const license = readFileSync(join(root, 'LICENSE'), 'utf8');
      check(read('LICENSE') === license, `${where}: LICENSE differs from the root LICENSE`);
    }
    const text = read('package.json');
    const manifest = JSON.parse(text);
    check(
      !text.includes('workspace:'),
      `${where}: the published manifest keeps a workspace: range`,
    );
    const conditions = new Set();
    const walk = (value) => {
      if (typeof value !== 'object' || value === null) return;
      for (const [key, inner] of Object.entries(value)) {
        if (!key.startsWith('.')) conditions.add(key);
        walk(inner);
      }
    };
    walk(manifest.exports);
    const allowed = new Set(['import', 'require', 'types', 'default']);
    for (const condition of conditions) {
      check(
        allowed.has(condition),
        `${where}: the published exports have a "${condition}" condition`,
      );
    }
    check(manifest.license === 'MIT', `${where}: license is not MIT`);
    check(
      manifest.repository?.directory === where,
      `${where}: repository.directory is not ${where}`,
    );
    check(typeof manifest.homepage === 'string', `${where}: no homepage`);
    check(typeof manifest.bugs?.url === 'string', `${where}: no bugs.url`);
    check(
      manifest.engines?.node === rootManifest.engines.node,
      `${where}: engines.node is ${manifest.engines?.node}, the root says ${rootManifest.engines.node}`,
    );
    for (const file of files.filter((name) => /^dist\/.*\.(c|m)?js$/.test(name))) {
      const count = read(file).match(/^\/\/# sourceMappingURL=/gm)?.length ?? 0;
      check(count === 1, `${where}: ${file} has ${count} sourceMappingURL comments, not 1`);
      check(files.includes(`${file}.map`), `${where}: ${file}.map is missing`);
    }
    for (const file of files.filter((name) => /^dist\/index\.d\.c?ts$/.test(name))) {
      check(
        read(file).startsWith('/// <reference lib="esnext.disposable" />'),
        `${where}: ${file} does not reference lib esnext.disposable`,
      );
    }
  }

  step(`npm install the tarballs and zod into ${app}`);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'gossip-consumer', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const zod = rootManifest.devDependencies.zod;
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs.map(({ path }) => path),
      `zod@${zod}`,
    ],
    app,
  );

  // One program, imported as ESM, required as CJS, and bundled for the browser.
  const names = {
    core: ['createEventBus', 'defineEvents'],
    middleware: ['chain', 'withRetry', 'withTimeout'],
    filters: ['and', 'byMetadata', 'where'],
    batch: ['createBatchProcessor'],
    priority: ['PriorityQueue', 'priorityScheduler'],
  };
  const body = `
async function main() {
  const events = defineEvents({
    'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
  });
  const bus = createEventBus({ schemas: events, workers: 1, scheduler: priorityScheduler() });
  const seen = [];
  let tries = 0;
  bus.subscribe(
    'order.placed',
    (event) => {
      tries++;
      if (tries === 1) throw new Error('first try fails');
      seen.push(event.data.orderId);
    },
    {
      filter: and(byMetadata('source', 'api'), where((event) => event.data.amount > 0)),
      middleware: [chain(withRetry({ attempts: 2, delay: 1 }), withTimeout(1000))],
    },
  );
  let batched = 0;
  const processor = createBatchProcessor(bus, 'order.placed', { batchSize: 10 }, (batch) => {
    batched += batch.length;
  });
  await bus.publish('order.placed', { orderId: 'a', amount: 1 }, { metadata: { source: 'api' } });
  await bus.publish('order.placed', { orderId: 'b', amount: 2 }, { metadata: { source: 'web' } });
  await bus.publish('order.placed', { orderId: 'c', amount: 3 }, { metadata: { source: 'api' }, priority: 'high' });
  const refused = await bus.publish('order.placed', { orderId: 'd', amount: 'x' }).then(() => 'accepted', (error) => error.code);
  const report = await bus.shutdown({ timeout: 5000 });
  await processor.shutdown({ timeout: 5000 });
  const queue = new PriorityQueue();
  queue.enqueue('low', 'low');
  queue.enqueue('high', 'high');
  const result = [seen.join(','), batched, refused, report.complete, queue.dequeue()].join(' ');
  const expected = 'a,c 3 VALIDATION_FAILED true high';
  if (result !== expected) throw new Error('got "' + result + '", expected "' + expected + '"');
  return result;
}
`;
  const esmImports = Object.entries(names)
    .map(([pkg, list]) => `import { ${list.join(', ')} } from '@gossip/${pkg}';`)
    .join('\n');
  const cjsImports = Object.entries(names)
    .map(([pkg, list]) => `const { ${list.join(', ')} } = require('@gossip/${pkg}');`)
    .join('\n');
  writeFileSync(
    join(app, 'use.mjs'),
    `${esmImports}\nimport { z } from 'zod';\n${body}\nconsole.log('esm', await main());\n`,
  );
  writeFileSync(
    join(app, 'use.cjs'),
    `${cjsImports}\nconst { z } = require('zod');\n${body}\nmain().then((result) => console.log('cjs', result));\n`,
  );
  writeFileSync(
    join(app, 'browser.mjs'),
    `${esmImports}\nimport { z } from 'zod';\n${body}\nglobalThis.done = main();\n`,
  );

  step('Node ESM');
  process.stdout.write(run(process.execPath, ['use.mjs'], app));
  step('Node CJS');
  process.stdout.write(run(process.execPath, ['use.cjs'], app));

  step('esbuild browser bundle, run in a context with no Node globals');
  const { build } = requireFromRoot('esbuild');
  const bundle = await build({
    entryPoints: [join(app, 'browser.mjs')],
    absWorkingDir: app,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  check(!/["']node:/.test(code), 'the browser bundle imports a node: module');
  const inputs = Object.keys(bundle.metafile.inputs);
  check(
    inputs.every((input) => input === 'browser.mjs' || input.startsWith('node_modules/')),
    `the browser bundle takes files from outside node_modules: ${inputs.join(', ')}`,
  );
  // The host functions a browser has; no process, Buffer, require or setImmediate.
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    AbortController,
    AbortSignal,
    Event,
    EventTarget,
    DOMException,
    performance,
    crypto: globalThis.crypto,
  });
  vm.runInContext(code, context);
  process.stdout.write(`browser ${await context.done}\n`);

  // The program above takes a few names, so tree-shaking could hide a Node built-in used
  // elsewhere. Each package's whole public entry, bundled for the browser with nothing external,
  // must build (esbuild refuses a Node built-in under platform 'browser') and import no node:.
  step("esbuild browser bundle of each package's whole entry, nothing external");
  for (const { dir } of tarballs) {
    const name = `@gossip/${dir}`;
    // A command line, or a broker client over TCP, runs on Node only.
    if (NODE_ONLY.has(dir)) continue;
    try {
      const whole = await build({
        stdin: { contents: `export * from '${name}';`, resolveDir: app, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      const text = whole.outputFiles[0]?.text ?? '';
      check(!/["']node:/.test(text), `${name}: the browser bundle imports a node: module`);
      process.stdout.write(`${name}: ${text.length} bytes, no Node built-ins\n`);
    } catch (error) {
      const messages = (error.errors ?? []).map((problem) => problem.text).join('; ');
      check(false, `${name}: no browser bundle: ${messages || error.message}`);
    }
  }

  step('tsc --strict, lib ES2022 and DOM, no @types/node, skipLibCheck false');
  const consumer = `${esmImports}
import { z } from 'zod';

const events = defineEvents({
  'order.placed': z.object({ orderId: z.string(), amount: z.number() }),
});
const bus = createEventBus({ schemas: events, scheduler: priorityScheduler() });
const off = bus.subscribe(
  'order.placed',
  (event) => {
    const amount: number = event.data.amount;
    return void amount;
  },
  {
    filter: and(byMetadata('source', 'api'), where((event) => event.data.amount > 0)),
    middleware: [chain(withRetry({ attempts: 2 }), withTimeout(1000))],
  },
);
off[Symbol.dispose]();
const processor = createBatchProcessor(bus, 'order.placed', { batchSize: 10 }, (batch) => {
  const ids: string[] = batch.map((event) => event.data.orderId);
  return void ids;
});
await bus.publish('order.placed', { orderId: 'a', amount: 1 });
// @ts-expect-error a misspelt event name does not compile
await bus.publish('order.plcaed', { orderId: 'a', amount: 1 });
await bus.shutdown();
await processor.shutdown();
const queue = new PriorityQueue<string>();
queue.enqueue('x', 'high');
export const next: string | undefined = queue.dequeue();
`;
  writeFileSync(join(app, 'consumer.ts'), consumer);
  writeFileSync(join(app, 'consumer.mts'), consumer);
  writeFileSync(
    join(app, 'consumer.cts'),
    `${cjsImports.replaceAll('const {', 'import {').replace(/\} = require\(('[^']+')\);/g, '} from $1;')}
import { z } from 'zod';

const events = defineEvents({ 'order.placed': z.object({ orderId: z.string() }) });
const bus = createEventBus({ schemas: events, scheduler: priorityScheduler() });
bus.subscribe('order.placed', (event) => void event.data.orderId, {
  filter: and(byMetadata('source', 'api'), where(() => true)),
  middleware: [chain(withRetry(), withTimeout(1000))],
});
export const unused = [createBatchProcessor, PriorityQueue];
`,
  );
  const tsc = requireFromRoot.resolve('typescript/bin/tsc');
  // No @types/node is installed, and `types: []` keeps any other from being picked up.
  const strict = {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    types: [],
    skipLibCheck: false,
  };
  const configs = {
    // A browser app: ESM through a bundler, so the ESM declarations (index.d.ts).
    'tsconfig.browser.json': {
      module: 'preserve',
      moduleResolution: 'bundler',
      files: ['consumer.ts'],
    },
    // Node: an ES module (index.d.ts) and a CommonJS module (index.d.cts).
    'tsconfig.node.json': {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      files: ['consumer.mts', 'consumer.cts'],
    },
  };
  for (const [name, { files, ...options }] of Object.entries(configs)) {
    const config = { compilerOptions: { ...strict, ...options }, files };
    writeFileSync(join(app, name), `${JSON.stringify(config, null, 2)}\n`);
    try {
      run(process.execPath, [tsc, '-p', name], app);
      process.stdout.write(`tsc -p ${name} (${files.join(', ')}): no errors\n`);
    } catch (error) {
      check(false, `tsc -p ${name}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
} catch (error) {
  problems.push(`${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`.trim());
} finally {
  if (keep) process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  process.stderr.write(`check-tarballs: ${problems.length} problem(s)\n`);
  for (const problem of problems) process.stderr.write(`- ${problem}\n`);
  process.exit(1);
}
process.stdout.write('check-tarballs: every tarball installs, runs and type-checks\n');
