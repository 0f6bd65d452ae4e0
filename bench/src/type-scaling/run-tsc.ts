import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** What `tsc --extendedDiagnostics` reported for one run. */
export interface TscResult {
  /** Check time in milliseconds. */
  readonly checkMs: number;
  /** Total time in milliseconds (parse, bind, check). */
  readonly totalMs: number;
  readonly instantiations: number;
  readonly types: number;
  /** Memory used, in kilobytes. */
  readonly memoryKb: number;
}

/** Thrown when a generated app does not type-check: the compiler's errors, verbatim. */
export class TypeCheckFailedError extends Error {
  override readonly name = 'TypeCheckFailedError';
  /** The error codes reported, such as `TS2589`. */
  readonly codes: readonly string[];

  constructor(tsconfig: string, codes: readonly string[], output: string) {
    const depth = codes.filter((code) => code === 'TS2589' || code === 'TS2590');
    const lead =
      depth.length > 0
        ? `hit the compiler's limits (${[...new Set(depth)].join(', ')}: type instantiation too deep or union too complex)`
        : `failed to type-check (${[...new Set(codes)].join(', ') || 'no error code'})`;
    super(
      `${tsconfig} ${lead}. The generated app must check cleanly; fix the types or the generator.\n${output.slice(0, 4000)}`,
    );
    this.codes = codes;
  }
}

const require = createRequire(import.meta.url);
/** The TypeScript compiler of this repository. */
export const tscPath: string = require.resolve('typescript/bin/tsc');

/** Reads `Name: value` lines of `--extendedDiagnostics` output. */
export function parseDiagnostics(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([A-Za-z][A-Za-z ()/]*?):\s+(\S+)\s*$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

function seconds(values: Map<string, string>, key: string): number {
  const value = values.get(key);
  if (value === undefined) throw new Error(`tsc --extendedDiagnostics printed no "${key}"`);
  return Math.round(Number.parseFloat(value) * 1000);
}

function count(values: Map<string, string>, key: string): number {
  const value = values.get(key);
  if (value === undefined) throw new Error(`tsc --extendedDiagnostics printed no "${key}"`);
  return Number.parseInt(value, 10);
}

/**
 * Runs `tsc -p <tsconfig> --noEmit --extendedDiagnostics` in a child process and parses its
 * figures.
 *
 * @param tsconfig - the app's tsconfig.json
 * @param extraArgs - more compiler flags, such as `--generateTrace <dir>`
 * @returns check time, instantiations, types and memory
 * @throws TypeCheckFailedError on any compiler error, TS2589 and TS2590 named first
 */
export async function runTsc(
  tsconfig: string,
  extraArgs: readonly string[] = [],
): Promise<TscResult> {
  const args = [tscPath, '-p', tsconfig, '--noEmit', '--extendedDiagnostics', ...extraArgs];
  const { status, output } = await new Promise<{ status: number | null; output: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ status: code, output: Buffer.concat(chunks).toString() }),
      );
    },
  );
  const codes = [...output.matchAll(/error (TS\d+)/g)].map((match) => match[1] ?? '');
  if (status !== 0 || codes.length > 0) throw new TypeCheckFailedError(tsconfig, codes, output);
  const values = parseDiagnostics(output);
  return {
    checkMs: seconds(values, 'Check time'),
    totalMs: seconds(values, 'Total time'),
    instantiations: count(values, 'Instantiations'),
    types: count(values, 'Types'),
    memoryKb: count(values, 'Memory used'),
  };
}
