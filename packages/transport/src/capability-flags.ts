import type { TransportCapabilities } from './transport.js';

/**
 * Every flag of {@link TransportCapabilities}: what a `capabilities` option may hold, so that a
 * misspelt flag is refused rather than read as `undefined`.
 *
 * @internal
 */
export const CAPABILITY_FLAGS = [
  'persistent',
  'deduplication',
  'nativeRedelivery',
  'ordering',
] as const satisfies readonly (keyof TransportCapabilities)[];
