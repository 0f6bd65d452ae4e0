import type { AnyEvent, Metadata } from '@gossip/core';

/** An event with the given metadata, as a filter sees it. */
export function withMeta(metadata: Metadata, data: unknown = {}): AnyEvent {
  return { id: 'e1', type: 'order.created', timestamp: 0, data, metadata };
}

export const yes = (): boolean => true;
export const no = (): boolean => false;
