import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchDir } from '../paths.js';
import { option } from './options.js';
import {
  type BridgeRow,
  type BridgeRun,
  fromJson,
  loadText,
  printRun,
  RUN_AS_JSON,
} from './run-bridges.js';

/**
 * Runs one broker's bench entry (`redis-bridge-main`, ...) in a child process with this
 * process's arguments; its progress lines go to stderr as they come, its run comes back.
 *
 * @throws Error when the child fails or prints no run
 */
function runBrokerProcess(entry: string): Promise<BridgeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(benchDir, 'scripts', 'run.mjs'), entry, ...process.argv.slice(2)],
      {
        cwd: benchDir,
        env: { ...process.env, [RUN_AS_JSON]: '1' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`${entry} failed (exit code ${code}):\n${out}`));
        return;
      }
      resolve(fromJson(line));
    });
  });
}

/**
 * Runs each broker's bench in a process of its own, one after the other, and prints their
 * rows as one table. One process per broker, as an application runs one broker's bridge: in
 * a process that ran both, the transport's and the bus's shared code saw two brokers' message
 * shapes, and the Redis bridge took far longer to warm up (or never did) than on its own.
 *
 * @param entries - the brokers' entry points, in the order they run
 */
export async function runBrokerProcesses(entries: readonly string[]): Promise<void> {
  const messages = option('messages', 20_000);
  const before = loadText();
  const rows: BridgeRow[] = [];
  const storedBytes = new Map<string, { raw: number; bridge: number }>();
  for (const entry of entries) {
    const run = await runBrokerProcess(entry);
    rows.push(...run.rows);
    for (const [broker, bytes] of run.storedBytes) storedBytes.set(broker, bytes);
  }
  printRun({ rows, storedBytes }, messages, before);
}
