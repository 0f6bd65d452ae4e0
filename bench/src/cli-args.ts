/** The options of `pnpm bench`. */
export interface BenchArgs {
  /** Small counts and short times. */
  readonly quick: boolean;
  /** Run only these scenarios (ids), if given. */
  readonly only: readonly string[] | undefined;
  /** Skip these scenarios. */
  readonly skip: readonly string[];
  /** Where results go; default bench/results (full) or bench/.generated/quick (quick). */
  readonly out: string | undefined;
  /** Write docs/benchmarks.md even in quick mode, or not even in full mode. */
  readonly docs: boolean | undefined;
  /**
   * How many processes run each timed scenario (their rounds are merged): 3 in full mode, 1
   * (in the harness's own process) in quick mode.
   */
  readonly forks: number;
}

/** The scenario ids, in the order they run. */
export const SCENARIO_IDS = [
  'queued',
  'awaited',
  'fire-and-forget',
  'gc',
  'validation',
  'versions',
  'wildcards',
  'churn',
  'memory',
  'type-check',
  'bundle-size',
] as const;

const USAGE = `usage: pnpm bench [--quick] [--only=id,id] [--skip=id,id] [--forks=n] [--out=dir] [--docs|--no-docs]
scenarios: ${SCENARIO_IDS.join(', ')}`;

function list(value: string, flag: string): string[] {
  const ids = value.split(',').filter((id) => id !== '');
  for (const id of ids) {
    if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
      throw new Error(`${flag}: unknown scenario "${id}".\n${USAGE}`);
    }
  }
  return ids;
}

/**
 * Parses the command line of `pnpm bench`.
 *
 * @param argv - the arguments after the script
 * @returns the options
 * @throws Error naming the unknown flag or scenario, with the usage
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let only: string[] | undefined;
  let skip: string[] = [];
  let out: string | undefined;
  let docs: boolean | undefined;
  let forks: number | undefined;
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split(/=(.*)/s);
    if (arg === '--') continue;
    else if (arg === '--quick') quick = true;
    else if (flag === '--only') only = list(value, flag);
    else if (flag === '--skip') skip = list(value, flag);
    else if (flag === '--out' && value !== '') out = value;
    else if (arg === '--docs') docs = true;
    else if (arg === '--no-docs') docs = false;
    else if (flag === '--forks' && /^[1-9]\d*$/.test(value)) forks = Number(value);
    else throw new Error(`unknown argument "${arg}".\n${USAGE}`);
  }
  return { quick, only, skip, out, docs, forks: forks ?? (quick ? 1 : 3) };
}
