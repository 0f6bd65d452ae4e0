import { describeValue } from './describe.js';
import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/**
 * An option or argument is not valid; thrown at once, where it was given. It names the option
 * with the function it was given to, as the caller wrote it (see {@link optionName}).
 *
 * @example
 * ```ts
 * createEventBus({ workers: 0 });
 * // InvalidOptionError: Invalid option "createEventBus({ workers })": expected an integer of
 * // at least 1, received 0.
 * ```
 */
export class InvalidOptionError extends GossipError {
  /** The name of the option or argument: `createEventBus({ workers })`, `subscribe(handler)`. */
  readonly option: string;

  /**
   * @param option - the name of the option or argument, as {@link optionName} makes it
   * @param expected - what a valid value looks like
   * @param received - the value that was given
   * @param options - the underlying cause, if any: what reading the value threw
   */
  constructor(option: string, expected: string, received: unknown, options?: { cause?: unknown }) {
    super(
      ErrorCode.InvalidOption,
      `Invalid option "${option}": expected ${expected}, received ${describeValue(received)}.`,
      options,
    );
    this.option = option;
  }
}
