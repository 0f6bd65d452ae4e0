/** A numeric `--name=value` argument of the command line, or the fallback. */
export function option(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const given = process.argv.slice(2).find((arg) => arg.startsWith(prefix));
  if (given === undefined) return fallback;
  const value = Number(given.slice(prefix.length));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`--${name} takes a whole number of at least 1, not "${given}"`);
  }
  return value;
}

/**
 * The `--only=raw-publish,bridge-consume` argument: which sides to run (for profiling one),
 * or undefined for all.
 */
export function onlySides(): ReadonlySet<string> | undefined {
  const given = process.argv.slice(2).find((arg) => arg.startsWith('--only='));
  return given === undefined ? undefined : new Set(given.slice('--only='.length).split(','));
}
