import type { FifoEntry } from '@gossip/core';
import type { Envelope } from '@gossip/transport';

/**
 * @internal A delivery of one stream entry to a consumer, held from its read (or claim) until
 * it is acknowledged, or left pending for another consumer.
 */
export interface HeldEntry {
  readonly key: string;
  readonly id: string;
  readonly fields: Buffer[];
  readonly attempt: number;
  /** Read from the fields when the entry's turn comes. */
  envelope?: Envelope;
  /** Its place among the entries its consumer holds. */
  link?: FifoEntry<HeldEntry>;
}
