import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// docs/getting-started.md says: make an ES-module project, install @gossip/core and zod, save
// the whole program as main.ts, run `npx tsx main.ts`. This does that in a fresh folder, with
// @gossip/core taken from the workspace's source (no network, no build) and zod from the
// repository's node_modules. (CI also installs the packed tarballs in a fresh project.)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const guide = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');
const section = guide.slice(guide.indexOf('## The whole program'));
const require = createRequire(import.meta.url);

function block(language: string): string {
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (match?.[1] === undefined) throw new Error(`no ${language} block under "The whole program"`);
  return match[1];
}

/** A package under `dir/node_modules` that re-exports `entry`, as an installed package would. */
function shim(dir: string, name: string, entry: string): void {
  const folder = join(dir, 'node_modules', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: { '.': './index.ts' } }),
  );
  writeFileSync(join(folder, 'index.ts'), `export * from ${JSON.stringify(entry)};\n`);
}

const project = mkdtempSync(join(tmpdir(), 'gossip-getting-started-'));
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('docs/getting-started.md, the whole program', () => {
  it('tells the reader to make an ES-module project', () => {
    expect(block('sh')).toContain('npm pkg set type=module');
  });

  it('runs as written with npx tsx main.ts in that project', () => {
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'fresh', version: '1.0.0', type: 'module' }),
    );
    shim(project, '@gossip/core', join(root, 'packages/core/src/index.ts'));
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(realpathSync(join(root, 'node_modules/zod')), join(project, 'node_modules/zod'));
    writeFileSync(join(project, 'main.ts'), block('ts'));

    const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
    const result = spawnSync(process.execPath, [tsx, 'main.ts'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('sending a welcome email to ada@example.com');
    expect(
      lines
        .slice(1, 3)
        .map((line) => line.split(' ').slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['[audit] email.welcome.sent', '[audit] user.account.created']);
    expect(lines[3]).toBe('published 2, delivered 3');
    expect(lines).toHaveLength(4);
  }, 60_000);
});
