/**
 * A failure of the command line that is not a verdict: a module that does not load, an export
 * that is missing, a file that cannot be written. `gossip` prints its message and exits with
 * its `exitCode` (2), so CI tells it apart from a breaking change (1).
 *
 * @example
 * ```ts
 * throw new CliError('src/events.ts: exports no registry, event map or bus');
 * ```
 */
export class CliError extends Error {
  /** The process's exit code. */
  readonly exitCode: number;

  /**
   * @param message - what went wrong and what to do
   * @param options - the error's cause
   */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = 2;
  }
}
