import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const cli = join(packageDir, 'src/cli.ts');
const scratch = mkdtempSync(join(tmpdir(), 'gossip-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The command line run in this process, through `run()` with its output collected: what the
 * bin does after reading its arguments, without a process start per case.
 */
async function gossip(...args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: packageDir,
  });
  return { code, stdout, stderr };
}

/**
 * The bin as a child process, from source, through the workspace's tsx (the `@gossip/source`
 * condition points @gossip/* at their src/). Kept for what only a real process shows: the
 * exit code the bin sets, and modules loaded by tsx's loader, whose errors a user sees.
 */
function gossipProcess(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['--conditions=@gossip/source', cli, ...args],
      { cwd: packageDir, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const fixture = (name: string) => `test/fixtures/${name}`;

describe('gossip catalog', () => {
  it('prints each event with its versions, mode and fields, from a registry', async () => {
    const { code, stdout, stderr } = await gossip('catalog', fixture('shop-v2.ts'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'order.placed  versions 1, 2 (latest v2)  compatibility backward  upcasters 1',
        '    orderId: string',
        '    amount: number',
        '    currency: "EUR" | "USD"',
        'user.created  versions 1 (latest v1)  compatibility full',
        '    userId: string',
        '    email: string (email)',
        '',
      ].join('\n'),
    );
  }, 30_000);

  it('reads an event map of versions, a bus and a JavaScript module', async () => {
    const map = await gossip('catalog', fixture('shop-v3.ts'));
    expect(map.code).toBe(0);
    expect(map.stdout).toContain(
      'order.placed  versions 1, 2, 3 (latest v3)  compatibility backward  upcasters 2',
    );
    expect(map.stdout).toContain('    note?: string');
    expect(map.stdout).toContain('cart.emptied  versions 1 (latest v1)  compatibility backward');
    const bus = await gossip('catalog', fixture('shop-bus.ts'));
    expect(bus).toEqual({
      code: 0,
      stdout: 'user.created  versions 1 (latest v1)  compatibility full\n    userId: string\n',
      stderr: '',
    });
    const js = await gossip('catalog', fixture('shop.mjs'));
    expect(js).toEqual({
      code: 0,
      stdout: 'user.created  versions 1 (latest v1)  compatibility backward\n    userId: string\n',
      stderr: '',
    });
  }, 30_000);

  it('writes the AsyncAPI document as YAML and one JSON Schema per version', async () => {
    const asyncapi = join(scratch, 'docs/asyncapi.yaml');
    const schemas = join(scratch, 'schemas');
    const { code, stdout } = await gossip(
      'catalog',
      fixture('shop-v3.ts'),
      '--asyncapi',
      asyncapi,
      '--json-schema',
      schemas,
      '--title',
      'Shop events',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('wrote 5 JSON Schema documents');
    const document = parse(readFileSync(asyncapi, 'utf8')) as {
      asyncapi: string;
      info: { title: string; version: string };
      channels: Record<string, unknown>;
    };
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.info).toEqual({ title: 'Shop events', version: '1.0.0' });
    expect(Object.keys(document.channels)).toEqual([
      'order.placed',
      'user.created',
      'cart.emptied',
    ]);
    expect(readdirSync(schemas).sort()).toEqual([
      'cart.emptied.v1.json',
      'order.placed.v1.json',
      'order.placed.v2.json',
      'order.placed.v3.json',
      'user.created.v1.json',
    ]);
    const v3 = JSON.parse(readFileSync(join(schemas, 'order.placed.v3.json'), 'utf8')) as {
      $id: string;
    };
    expect(v3.$id).toBe('urn:gossip:event:order.placed:v3');
  }, 30_000);
});

describe('gossip check', () => {
  it('exits 0 when the new module keeps the old one compatible', async () => {
    const { code, stdout } = await gossip('check', fixture('shop-v2.ts'), fixture('shop-v3.ts'));
    expect(code).toBe(0);
    expect(stdout).toContain('keeps the 2 event types of test/fixtures/shop-v2.ts compatible');
  }, 30_000);

  it('exits 1 and names each break with its version and mode', async () => {
    const { code, stderr } = await gossip(
      'check',
      fixture('shop-v2.ts'),
      fixture('shop-v3-breaking.ts'),
    );
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      'order.placed v3 breaks backward: "amount" changed from number to string (breaks backward: v2 events cannot be read)',
      'user.created v2 breaks full: required field "name" added (breaks backward: v1 events cannot be read)',
      '2 breaking changes: test/fixtures/shop-v3-breaking.ts breaks consumers or producers of test/fixtures/shop-v2.ts.',
      '',
    ]);
  }, 30_000);
});

describe('errors in the loaded module', () => {
  it('reports a syntax error with the file and where, exit code 2', async () => {
    const broken = join(scratch, 'broken.ts');
    writeFileSync(broken, 'export const events = {;\n');
    // A process: the message is the one tsx's loader gives, as a user of the bin sees it.
    const { code, stderr } = await gossipProcess('catalog', broken);
    expect(code).toBe(2);
    expect(stderr).toContain(`gossip: ${broken}: the module failed to load:`);
    expect(stderr).toContain(`${broken}:1:`);
  }, 30_000);

  it('reports a module that throws while it loads', async () => {
    const { code, stderr } = await gossip('catalog', fixture('throws.mjs'));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gossip: test/fixtures/throws.mjs: the module failed to load: the database URL is not set\n',
    );
  }, 30_000);

  it('reports a missing export, naming what the module exports', async () => {
    const { code, stderr } = await gossip('check', fixture('shop-v2.ts'), fixture('bus-only.ts'));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gossip: test/fixtures/bus-only.ts: exports no registry, event map or bus with schemas (it exports bus, name). "bus" is a bus without schemas: make it with createEventBus({ schemas }) or export the event map.\n',
    );
  }, 30_000);

  it('reports a file that does not exist, and a wrong command, with exit code 2', async () => {
    const missing = await gossip('catalog', fixture('nope.ts'));
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gossip: test/fixtures/nope.ts: no such file.\n',
    });
    const wrong = await gossip('catalogue', fixture('shop.mjs'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown command 'catalogue'");
    expect(existsSync(join(packageDir, 'catalogue'))).toBe(false);
  }, 30_000);
});

describe('the bin', () => {
  it('runs as a process, with the exit code of run(): 1 for a breaking change', async () => {
    const broken = await gossipProcess(
      'check',
      fixture('shop-v2.ts'),
      fixture('shop-v3-breaking.ts'),
    );
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('2 breaking changes');
  }, 30_000);
});
