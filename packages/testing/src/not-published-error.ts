import type { AnyEvent } from '@gossip/core';

/** How many published events the message lists before it says how many more there were. */
const LISTED = 20;
/** How many characters of a payload the message shows. */
const SHOWN = 200;

/**
 * Thrown by `recorder.expectPublished` when no recorded event has the type and matches the
 * partial data. Its message says what was expected and lists what was published, so a failing
 * test explains itself with any test runner. A plain `Error` subclass: the runner shows it as
 * any failed assertion.
 *
 * @example
 * ```ts
 * try {
 *   recorder.expectPublished('order.paid', { orderId: 'o9' });
 * } catch (error) {
 *   if (error instanceof NotPublishedError) logger.info(error.published.length);
 * }
 * // NotPublishedError: Expected "order.paid" with data matching {"orderId":"o9"} to have been
 * // published, but none matched. Published (2):
 * //   1. order.created {"orderId":"o1"}
 * //   2. order.paid {"orderId":"o1","amount":10}
 * ```
 */
export class NotPublishedError extends Error {
  override readonly name = 'NotPublishedError';
  /** The event type that was expected. */
  readonly type: string;
  /** The partial data it was expected to match, if any. */
  readonly partialData: unknown;
  /** Every event recorded when the expectation failed, in publish order. */
  readonly published: ReadonlyArray<AnyEvent>;

  /**
   * @param type - the event type that was expected
   * @param partialData - the partial data it was expected to match (undefined for any)
   * @param published - what was recorded
   */
  constructor(type: string, partialData: unknown, published: ReadonlyArray<AnyEvent>) {
    const matching = partialData === undefined ? '' : ` with data matching ${show(partialData)}`;
    const sameType = published.filter((event) => event.type === type).length;
    const why =
      published.length === 0
        ? 'but nothing was published.'
        : sameType === 0
          ? `but no "${type}" was. Published (${published.length}):`
          : `but none of the ${sameType} "${type}" matched. Published (${published.length}):`;
    const lines = published
      .slice(0, LISTED)
      .map((event, index) => `  ${index + 1}. ${event.type} ${show(event.data)}`);
    if (published.length > LISTED) lines.push(`  ... and ${published.length - LISTED} more`);
    super([`Expected "${type}"${matching} to have been published, ${why}`, ...lines].join('\n'));
    this.type = type;
    this.partialData = partialData;
    this.published = published;
  }
}

/** A payload as short JSON; never throws (a cycle, a BigInt, a hostile getter). */
function show(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, item: unknown) =>
        typeof item === 'bigint' ? `${item}n` : item,
      ) ?? String(value);
  } catch {
    try {
      text = String(value);
    } catch {
      text = 'a value that cannot be shown';
    }
  }
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
}
